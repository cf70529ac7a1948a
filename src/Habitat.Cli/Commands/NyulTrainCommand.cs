using Habitat.Cli.Batch;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat nyul-train</c>: Nyúl–Udupa standard landmarks learned on a training cohort of studies, saved
/// for <c>normalisation: nyul</c>. Studies are read exactly as <c>habitat extract</c> reads them (same settings, same
/// grid checks or resampling) and the reference region is the one extraction standardises with: the study's brain
/// mask (or its fallback, the non-zero voxels of the first required sequence).</summary>
public sealed class NyulTrainCommand : ICommand
{
    public string Name => "nyul-train";
    public string Summary => "learn Nyúl–Udupa intensity landmarks on a training cohort (for normalisation: nyul)";
    public string Usage => """
        usage: habitat nyul-train (--manifest studies.csv | --study DIR [--study DIR …]) --settings S --out landmarks.json
                                  [--sequences T1c,FLAIR]
          --manifest M    CSV with columns id, habitat, [brain_mask,] one per sequence (as for habitat extract)
          --study DIR     a study folder (repeatable)
          --settings S    habitat settings (sequences, labels, resample_to_t1c), e.g. settings/habitat-default.yaml
          --out F         landmarks file (JSON, written atomically). Use it with
                            habitat: {normalisation: nyul, nyul_landmarks: F}   (F relative to the settings file)
          --sequences L   sequences to learn (default: every sequence of the settings; optional ones from the
                          studies that hold them)
        Landmarks: percentiles 1, 10, 20 … 90, 99 of each study's brain mask, mapped linearly so that the 1st and 99th
        land on 0 and 100, averaged over the cohort (Nyúl, Udupa & Zhang 2000).
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var manifest = args.Option("manifest");
        var folders = args.Options("study");
        if ((manifest is null) == (folders.Count == 0)) throw new UsageException("give --manifest or --study (not both)");
        var settingsPath = args.Required("settings");
        var outPath = args.Required("out");
        var requested = args.Option("sequences")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        args.EnsureAllUsed();

        var habitat = SettingsLoader.Load(settingsPath).Habitat ?? new HabitatSettings();
        var sequences = requested ?? habitat.AllSequences.ToArray();
        if (sequences.Length == 0) throw new UsageException("--sequences names no sequence");
        foreach (var name in sequences)
            if (!habitat.AllSequences.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new UsageException($"sequence '{name}' is not among the settings' sequences ({string.Join(", ", habitat.AllSequences)})");
        IReadOnlyList<StudyFiles> studies = manifest is not null ? StudyBatch.ReadManifest(manifest, habitat).Select(s => s.Files).ToArray() : folders.Select(f => StudyFiles.FromFolder(f, habitat)).ToArray();

        var percentiles = NyulStandardisation.DefaultPercentiles;
        var landmarks = sequences.ToDictionary(s => s, _ => new List<double[]>(), StringComparer.OrdinalIgnoreCase);
        for (int n = 0; n < studies.Count; n++)
        {
            var study = studies[n].Load(habitat);
            foreach (var name in sequences)
                if (study.Sequences.TryGetValue(name, out var image))
                    landmarks[name].Add(NyulStandardisation.TrainingLandmarks(image, study.Brain, percentiles, $"study '{study.Id}' {name}"));
            stderr.WriteLine($"[{n + 1}/{studies.Count}] {study.Id}");
        }
        var models = sequences.Select(name => landmarks[name].Count > 0
            ? NyulStandardisation.FromTrainingLandmarks(name, percentiles, landmarks[name])
            : throw new ArgumentException($"no training study holds sequence {name}")).ToArray();
        NyulStandardisation.Save(outPath, models);
        foreach (var model in models)
            stdout.WriteLine($"{model.Sequence}: {landmarks[model.Sequence].Count} studies, standard landmarks " +
                             string.Join(" ", model.StandardLandmarks.Select(l => l.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        stdout.WriteLine($"Nyúl landmarks of {models.Length} sequence(s) written to {outPath}");
        return 0;
    }
}
