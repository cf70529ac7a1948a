using System.Diagnostics;
using System.Globalization;
using Habitat.Imaging.IO;
using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Learning.Reporting;
using Habitat.Learning.Validation;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;
using Habitat.Synthesis;

namespace Habitat.Cli.Commands;

/// <summary>
/// <c>habitat demo</c>: the whole job end to end on synthetic data, offline — generate a two-site cohort, extract
/// habitat radiomics, nested cross-validation of the default model, final model, analysis of one unseen study, and a
/// self-contained HTML report.
/// </summary>
public sealed class DemoCommand : ICommand
{
    public string Name => "demo";
    public string Summary => "run the whole pipeline on a synthetic cohort and write habitat-demo/report.html";
    public string Usage => """
        usage: habitat demo [--out DIR] [--cases N] [--seed K] [--threads N]
          --out DIR      output folder (default habitat-demo): cohort/, new-case/, features.csv, model/, report.html
          --cases N      synthetic studies in the training cohort (default 80, two sites)
          --seed K       random seed (default 7)
          --threads N    worker threads (default: all cores)
        Needs no network and no data: everything is generated. Synthetic data, research use only.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    internal const int Stages = 6;
    internal static readonly string[] Sequences = ["T1c", "FLAIR"];

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var outDir = args.Option("out") ?? "habitat-demo";
        int cases = args.Int("cases", 80);
        int seedValue = args.Int("seed", 7);
        int threads = args.Int("threads", -1);
        args.EnsureAllUsed();
        if (cases < 20) throw new UsageException($"--cases must be at least 20 for cross-validation, got {cases}");
        if (seedValue < 0) throw new UsageException($"--seed must be non-negative, got {seedValue}");
        if (threads == 0 || threads < -1) throw new UsageException($"--threads must be positive, got {threads}");

        var clock = Stopwatch.StartNew();
        var progress = new StageProgress(stdout, clock);
        stdout.WriteLine("Habitat demo — synthetic data, research use only, not for diagnosis.");

        // 1. Cohort
        var settings = new SynthesisSettings(cases, 2, (ulong)seedValue, profile: AcquisitionProfile.Clinical);
        var plan = CohortPlan.Create(settings);
        var cohortDir = Path.Combine(outDir, "cohort");
        progress.Begin(1, $"generating {cases} synthetic studies from 2 sites (site 2 acquires 2-D FLAIR) into {cohortDir}", cases);
        CohortWriter.Write(plan, cohortDir, _ => progress.Step(), threads);
        progress.End();

        // 2. One new study the model never sees, from a known site
        var newPlan = UnseenCase(plan, seedValue);
        var newDir = Path.Combine(outDir, "new-case");
        progress.Begin(2, $"generating one new, unseen study ({plan.Sites[newPlan.Site].Name}) into {newDir}", 1);
        var newStudy = StudyGenerator.Generate(settings, plan.Sites[newPlan.Site], newPlan);
        CohortWriter.WriteStudy(newStudy, newDir);
        progress.Step();
        progress.End();

        // 3. Habitat radiomics
        var extraction = LoadSettings();
        progress.Begin(3, "extracting habitat radiomics: T1c and FLAIR (z-scored in the brain mask, 32 bins) × enhancing, necrotic core, whole lesion, oedema; shapes; volume ratios", cases + 1);
        var dirs = plan.Cases.Select(c => Path.Combine(cohortDir, c.CaseId)).Append(newDir).ToArray();
        var rows = new List<HabitatFeature>[dirs.Length];
        Parallel.For(0, dirs.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, n =>
        {
            rows[n] = ExtractStudy(dirs[n], extraction);
            progress.Step();
        });
        progress.End();
        var table = DemoFeatureTable.Build(plan, rows[..cases], rows[cases]);
        table.WriteCsv(Path.Combine(outDir, "features.csv"));
        stdout.WriteLine(FormattableString.Invariant(
            $"    {table.Names.Count} features per study ({table.DroppedForMissing} more dropped: missing in some study, e.g. an empty necrotic core) → {Path.Combine(outDir, "features.csv")}"));

        // 4–5. Nested cross-validation, then the final model
        var cohort = table.Cohort;
        var candidates = DefaultCandidates();
        var validationPlan = new ValidationPlan { Folds = 5, Repeats = 1, InnerFolds = 3, Seed = seedValue };
        progress.Begin(4, $"nested cross-validation: 5 outer folds × 3 inner folds, patient-grouped and stratified; {candidates.Count} candidate recipes (L2 logistic regression after Wilcoxon selection)", 5);
        var validation = NestedCrossValidation.Run(cohort, candidates, validationPlan, new Progress(progress));
        progress.End();
        var auc = validation["auc"];
        var bootstrap = validation["auc_bootstrap"];
        stdout.WriteLine(FormattableString.Invariant(
            $"    cross-validated AUC {auc.Mean:F3} (95% CI {auc.Lower:F3}–{auc.Upper:F3}, DeLong; patient bootstrap {bootstrap.Lower:F3}–{bootstrap.Upper:F3})"));
        foreach (var metric in new[] { "sensitivity", "specificity", "balanced_accuracy" })
            stdout.WriteLine(FormattableString.Invariant($"    {metric} {validation[metric].Mean:F3} at the Youden threshold chosen on training folds"));

        progress.Begin(5, "training the final model on all studies (recipe chosen by inner cross-validation)", 1);
        var (bundle, _) = ModelBundle.Train(cohort, candidates, validationPlan, crossValidate: false);
        bundle = bundle with { CrossValidation = validation.Summary };
        var modelDir = Path.Combine(outDir, "model");
        bundle.Save(modelDir);
        progress.Step();
        progress.End();
        var top = DemoFeatureTable.TopFeatures(bundle.Pipeline, cohort, 8);
        stdout.WriteLine($"    final model: {bundle.Pipeline.Spec.Describe()} → {modelDir}");
        stdout.WriteLine("    top features (standardised coefficient; univariate AUC for recurrence):");
        foreach (var f in top)
            stdout.WriteLine(FormattableString.Invariant($"      {f.Coefficient,8:+0.000;-0.000}  AUC {f.UnivariateAuc:F3}  {f.Name}"));

        // 6. The new study, and the report
        progress.Begin(6, "analysing the new study and writing the report", 1);
        var prediction = bundle.Predict(table.NewCase, topFeatures: 6)[0];
        var rocStem = Path.Combine(outDir, "roc");
        Plots.Roc(validation, cohort, rocStem);
        var reportPath = Path.Combine(outDir, "report.html");
        DemoReport.Write(reportPath, newStudy, prediction, bundle, validation, top, File.ReadAllBytes(rocStem + ".png"), table, clock.Elapsed);
        progress.Step();
        progress.End();
        stdout.WriteLine(FormattableString.Invariant(
            $"    new study: probability of recurrence {prediction.Probability:P0} → {prediction.PredictedClass} (synthetic truth: {newPlan.Label})"));
        stdout.WriteLine(FormattableString.Invariant($"report: {reportPath}   (total {clock.Elapsed.TotalSeconds:F0} s)"));
        return 0;
    }

    /// <summary>A study from the cohort's first site with its own seeds, never part of training.</summary>
    internal static CasePlan UnseenCase(CohortPlan plan, int seed)
    {
        var rng = new SynthRandom((ulong)seed, stream: 0xDE70);
        return new CasePlan(plan.Cases.Count, "new-case", "patient-new", 0, rng.Chance(0.5), rng.NextUInt64(), rng.NextUInt64());
    }

    /// <summary>The shipped default MRI settings (settings/habitat-default.yaml, copied beside the program).</summary>
    internal static IbsiSettings LoadSettings() =>
        SettingsLoader.Load(Path.Combine(AppContext.BaseDirectory, "settings", "habitat-default.yaml"));

    internal static List<HabitatFeature> ExtractStudy(string dir, IbsiSettings settings)
    {
        var images = Sequences.ToDictionary(s => s, s => ImageFile.Read(Path.Combine(dir, CohortWriter.ImageFileName(s))));
        var habitat = ImageFile.ReadLabels(Path.Combine(dir, CohortWriter.HabitatFile));
        var brain = ImageFile.ReadLabels(Path.Combine(dir, CohortWriter.BrainMaskFile));
        return HabitatExtractor.Extract(images, habitat, brain, settings);
    }

    /// <summary>The default recipes the inner loop chooses among.</summary>
    internal static IReadOnlyList<ModelSpec> DefaultCandidates() =>
    [
        .. from c in new[] { 0.1, 1.0 }
           from k in new[] { 10, 25 }
           select new ModelSpec
           {
               Classifier = new ClassifierSpec(ClassifierKind.LogisticL2, c),
               Selection = new SelectionSpec { Method = SelectionMethod.Wilcoxon, FeatureCount = k },
           },
    ];

    private sealed class Progress(StageProgress stage) : IProgress<string>
    {
        public void Report(string value) => stage.Step();
    }

    /// <summary>Prints "[stage/6] what" and a counter line that updates as work completes.</summary>
    internal sealed class StageProgress(TextWriter output, Stopwatch clock)
    {
        private readonly object _gate = new();
        private int _total, _done, _lastPrinted, _stage;
        private TimeSpan _start;

        public void Begin(int stage, string what, int total)
        {
            lock (_gate)
            {
                _stage = stage; _total = total; _done = 0; _lastPrinted = -1; _start = clock.Elapsed;
                output.WriteLine($"[{stage}/{Stages}] {what}");
            }
        }

        public void Step()
        {
            lock (_gate)
            {
                _done++;
                // At most ten counter lines per stage, so redirected output stays readable.
                int tenth = _total == 0 ? 10 : 10 * _done / _total;
                if (tenth == _lastPrinted || _total <= 1) return;
                _lastPrinted = tenth;
                output.WriteLine(FormattableString.Invariant($"      {_done}/{_total}  ({(clock.Elapsed - _start).TotalSeconds:F1} s)"));
            }
        }

        public void End()
        {
            lock (_gate)
                output.WriteLine(FormattableString.Invariant($"    stage {_stage} done in {(clock.Elapsed - _start).TotalSeconds:F1} s"));
        }
    }
}
