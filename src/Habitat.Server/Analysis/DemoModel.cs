using Habitat.Imaging;
using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Learning.Validation;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;
using Habitat.Synthesis;

namespace Habitat.Server.Analysis;

/// <summary>Options of <c>POST /api/models/demo</c>: a small synthetic cohort (48³ voxels of 2 mm by default).</summary>
public sealed record DemoModelOptions(int Cases = 24, ulong Seed = 1, double SpacingMm = 2, double FieldOfViewMm = 96)
{
    public void Validate()
    {
        if (Cases is < 12 or > 400) throw new ArgumentException($"cases must be 12–400, got {Cases}");
    }
}

/// <summary>
/// A demonstration model trained on a generated synthetic cohort (Habitat.Synthesis): features extracted with
/// <see cref="Settings"/>, an L2 logistic model on the top mRMR features, cross-validated. Named and flagged as
/// synthetic everywhere it appears; it says nothing about real patients.
/// </summary>
public static class DemoModel
{
    public const string Settings = """
        # Demo model settings (synthetic cohort): small and fast.
        round_on_load: false
        discretisation:
          method: fixed_bin_number
          bin_count: 16
        texture:
          distance: 1
          ngldm_coarseness: 0
          aggregations: ["3D, averaged"]
        families: [intensity_statistics, intensity_histogram]
        """;

    public static ModelBundle Train(DemoModelOptions options, IStudyFeatureExtractor extractor, IProgress<double>? progress = null)
    {
        options.Validate();
        var synthesis = new SynthesisSettings(options.Cases, sites: 1, options.Seed, new Vec3(options.SpacingMm, options.SpacingMm, options.SpacingMm),
            new Vec3(options.FieldOfViewMm, options.FieldOfViewMm, options.FieldOfViewMm));
        var plan = CohortPlan.Create(synthesis);
        var settings = SettingsLoader.Parse(Settings, "demo model settings");
        var rows = new IReadOnlyList<Radiomics.Habitat.HabitatFeature>[plan.Cases.Count];
        int done = 0;
        Parallel.For(0, plan.Cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / 2) }, n =>
        {
            var c = plan.Cases[n];
            var study = StudyGenerator.Generate(plan.Settings, plan.Sites[c.Site], c);
            rows[n] = extractor.Extract(new HabitatStudy(c.CaseId, new Dictionary<string, Volume>(study.Images, StringComparer.OrdinalIgnoreCase), study.Habitat,
                study.BrainMask.Foreground()), settings);
            progress?.Report(0.8 * Interlocked.Increment(ref done) / plan.Cases.Count);
        });
        // Keep features that are finite in every case and not constant (empty compartments give NaN).
        var names = rows[0].Select(f => f.Name).ToArray();
        var keep = Enumerable.Range(0, names.Length).Where(j =>
            rows.All(r => double.IsFinite(r[j].Value)) && rows.Select(r => r[j].Value).Distinct().Count() > 1).ToArray();
        var matrix = new FeatureMatrix(rows.Length, keep.Length);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < keep.Length; j++) matrix[i, j] = rows[i][keep[j]].Value;
        var hash = SettingsHash.Of(Settings);
        var cohort = new CohortTable(plan.Cases.Select(c => c.CaseId).ToArray(), plan.Cases.Select(c => c.PatientId).ToArray(),
            plan.Cases.Select(c => c.Recurrence ? 1 : 0).ToArray(), [CohortPlan.NecrosisLabel, CohortPlan.RecurrenceLabel], null, null,
            keep.Select(j => names[j]).ToArray(), matrix, hash);
        var candidates = new ModelSearch { Classifier = "logistic-l2", C = [1], Selection = "mrmr", FeatureCounts = [5] }.Candidates();
        var (bundle, _) = ModelBundle.Train(cohort, candidates, new ValidationPlan { Folds = 3, Repeats = 1, InnerFolds = 3, Seed = 1 });
        progress?.Report(1);
        return bundle with { FeatureSettings = Settings, SettingsHash = hash };
    }
}
