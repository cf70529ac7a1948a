using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Habitat.Radiomics.Habitat;
using Habitat.Synthesis;

namespace Habitat.Cli.Commands;

/// <summary>A feature chosen by the final model: its standardised coefficient and its univariate AUC on the cohort.</summary>
internal sealed record TopFeature(string Name, double Coefficient, double UnivariateAuc);

/// <summary>
/// The demo's habitat features as a learning cohort (label 1 = recurrence) and the unseen study as a one-row table.
/// Features missing in any study (an empty compartment) are dropped, so every study has every kept feature.
/// </summary>
internal sealed class DemoFeatureTable
{
    public required IReadOnlyList<string> Names { get; init; }
    public required CohortTable Cohort { get; init; }
    public required FeatureTable NewCase { get; init; }
    public required int DroppedForMissing { get; init; }

    public static DemoFeatureTable Build(CohortPlan plan, IReadOnlyList<List<HabitatFeature>> training, List<HabitatFeature> newCase)
    {
        var all = training.Append(newCase).ToArray();
        var names = all[0].Select(f => f.Name).ToArray();
        foreach (var row in all)
            if (!row.Select(f => f.Name).SequenceEqual(names))
                throw new InvalidOperationException("habitat feature lists differ between studies");
        var kept = Enumerable.Range(0, names.Length).Where(j => all.All(r => double.IsFinite(r[j].Value))).ToArray();
        var keptNames = kept.Select(j => names[j]).ToArray();

        var x = new FeatureMatrix(training.Count, kept.Length);
        for (int i = 0; i < training.Count; i++)
            for (int c = 0; c < kept.Length; c++) x[i, c] = training[i][kept[c]].Value;
        var newRow = new FeatureMatrix(1, kept.Length);
        for (int c = 0; c < kept.Length; c++) newRow[0, c] = newCase[kept[c]].Value;

        var cohort = new CohortTable(
            plan.Cases.Select(c => c.CaseId).ToArray(),
            plan.Cases.Select(c => c.PatientId).ToArray(),
            plan.Cases.Select(c => c.Recurrence ? 1 : 0).ToArray(),
            [CohortPlan.NecrosisLabel, CohortPlan.RecurrenceLabel],
            plan.Cases.Select(c => plan.Sites[c.Site].Name).ToArray(),
            null, keptNames, x);
        return new DemoFeatureTable
        {
            Names = keptNames,
            Cohort = cohort,
            NewCase = new FeatureTable("new-case", ["new-case"], keptNames, newRow),
            DroppedForMissing = names.Length - kept.Length,
        };
    }

    /// <summary>case_id, then the kept features; the unseen study is the last row.</summary>
    public void WriteCsv(string path)
    {
        var rows = Enumerable.Range(0, Cohort.Count)
            .Select(i => (IReadOnlyList<string>)[Cohort.CaseIds[i], .. Cohort.Features.Row(i).ToArray().Select(CsvTable.Format)])
            .Append([NewCase.CaseIds[0], .. NewCase.Values.Row(0).ToArray().Select(CsvTable.Format)]);
        CsvTable.WriteAtomic(path, ["case_id", .. Names], rows);
    }

    /// <summary>The final model's features by the size of their standardised coefficient (linear models), with univariate AUCs.</summary>
    public static IReadOnlyList<TopFeature> TopFeatures(TrainedPipeline pipeline, CohortTable cohort, int count)
    {
        var weights = (pipeline.Classifier as LinearClassifier)?.Weights;
        return pipeline.SelectedColumns
            .Select((column, k) => new TopFeature(pipeline.InputFeatures[column], weights?[k] ?? double.NaN,
                RocAuc.Compute(cohort.Features.Column(cohort.FeatureNames.ToList().IndexOf(pipeline.InputFeatures[column])), cohort.Labels)))
            .OrderByDescending(f => double.IsNaN(f.Coefficient) ? 0 : Math.Abs(f.Coefficient))
            .Take(count)
            .ToArray();
    }
}
