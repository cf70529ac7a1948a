using System.Diagnostics;
using System.Globalization;
using Habitat.Imaging;
using Habitat.Synthesis;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat synth</c>: a synthetic post-treatment MRI cohort with known truth.</summary>
public sealed class SynthCommand : ICommand
{
    public string Name => "synth";
    public string Summary => "generate a synthetic post-treatment brain MRI cohort (images, habitat labels, truth)";
    public string Usage => """
        usage: habitat synth --out DIR [options]
          --out DIR              output folder: <case>/T1c.nii.gz, FLAIR.nii.gz, habitat.nii.gz, brain_mask.nii.gz,
                                 cohort.csv (case_id,patient_id,site,label) and truth.csv (hidden parameters)
          --cases N              number of studies (default 20)
          --sites S              number of sites (default 2)
          --seed K               random seed; the same seed gives byte-identical files (default 1)
          --spacing X,Y,Z        voxel spacing in mm of the shared grid (default 1,1,1)
          --fov X,Y,Z            field of view in mm: a slab through the head around the lesion (default 160,192,96)
          --profile NAME         research (every sequence 3-D, default) | clinical (even-numbered sites acquire
                                 FLAIR as 2-D 4-6 mm slices, resampled onto the shared grid)
          --sequences LIST       comma-separated, from T1c,FLAIR,T2,T1 (default T1c,FLAIR)
          --confounded           make recurrence prevalence depend on the site (for teaching harmonisation)
          --threads N            worker threads (default: all cores; does not change the output)
        Labels: 1 necrotic core, 2 oedema / FLAIR hyper-intensity, 3 enhancing lesion (BraTS). Research use only.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "confounded" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var outDir = args.Required("out");
        var settings = ParseSettings(args, cases: 20);
        int threads = args.Int("threads", -1);
        args.EnsureAllUsed();
        if (threads == 0 || threads < -1) throw new UsageException($"--threads must be positive, got {threads}");

        var plan = CohortPlan.Create(settings);
        var clock = Stopwatch.StartNew();
        int done = 0;
        var gate = new object();
        CohortWriter.Write(plan, outDir, c =>
        {
            lock (gate)
            {
                done++;
                stdout.WriteLine(FormattableString.Invariant($"[{done}/{plan.Cases.Count}] {c.CaseId} written ({clock.Elapsed.TotalSeconds:F1} s)"));
            }
        }, threads);
        int recurrences = plan.Cases.Count(c => c.Recurrence);
        stdout.WriteLine(FormattableString.Invariant(
            $"{plan.Cases.Count} synthetic studies ({recurrences} recurrence, {plan.Cases.Count - recurrences} necrosis) from {settings.Sites} sites in {outDir} ({clock.Elapsed.TotalSeconds:F1} s)"));
        stdout.WriteLine($"cohort table: {Path.Combine(outDir, CohortWriter.CohortFile)}; hidden truth: {Path.Combine(outDir, CohortWriter.TruthFile)}");
        return 0;
    }

    /// <summary>The generator options shared with <c>habitat demo</c>.</summary>
    internal static SynthesisSettings ParseSettings(CliArgs args, int cases)
    {
        int n = args.Int("cases", cases);
        int sites = args.Int("sites", 2);
        var seedText = args.Option("seed");
        ulong seed = 1;
        if (seedText is not null && !ulong.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            throw new UsageException($"--seed must be a non-negative integer, got '{seedText}'");
        var spacing = ParseTriple(args.Option("spacing"), "spacing");
        var fov = ParseTriple(args.Option("fov"), "fov");
        var profile = args.Option("profile") switch
        {
            null or "research" => AcquisitionProfile.Research,
            "clinical" => AcquisitionProfile.Clinical,
            var other => throw new UsageException($"--profile must be research or clinical, got '{other}'"),
        };
        var sequences = args.Option("sequences")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        bool confounded = args.Flag("confounded");
        try
        {
            return new SynthesisSettings(n, sites, seed, spacing, fov, profile, confounded, sequences);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static Vec3? ParseTriple(string? text, string name)
    {
        if (text is null) return null;
        var parts = text.Split(',');
        var values = new double[3];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
            throw new UsageException($"--{name} must be three comma-separated numbers, got '{text}'");
        return new Vec3(values[0], values[1], values[2]);
    }
}
