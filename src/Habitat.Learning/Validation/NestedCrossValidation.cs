using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;

namespace Habitat.Learning.Validation;

/// <summary>How the outer loop divides the cohort.</summary>
public enum ValidationScheme
{
    /// <summary>Stratified k-fold with patient grouping, repeated with different shuffles.</summary>
    RepeatedKFold,
    /// <summary>Each site in turn is the test set.</summary>
    LeaveOneSiteOut,
    /// <summary>The clinical table's split column: train rows against test rows.</summary>
    ExternalTest,
}

/// <summary>Validation settings; immutable, checked by <see cref="Validated"/>.</summary>
public sealed record ValidationPlan
{
    public ValidationScheme Scheme { get; init; } = ValidationScheme.RepeatedKFold;
    public int Folds { get; init; } = 5;
    public int Repeats { get; init; } = 1;
    /// <summary>Folds of the inner loop that chooses the candidate and the decision threshold on training data.</summary>
    public int InnerFolds { get; init; } = 3;
    public int Seed { get; init; }

    public ValidationPlan Validated()
    {
        if (Folds < 2) throw new ArgumentException($"folds must be at least 2, got {Folds}");
        if (InnerFolds < 2) throw new ArgumentException($"inner folds must be at least 2, got {InnerFolds}");
        if (Repeats < 1) throw new ArgumentException($"repeats must be at least 1, got {Repeats}");
        return this;
    }
}

/// <summary>What happened in one outer split: the candidate the inner loop chose, its threshold, and the test predictions.</summary>
public sealed record FoldOutcome(int Repeat, string Split, ModelSpec Chosen, double InnerAuc, double Threshold, int[] Test, double[] Probabilities);

/// <summary>Pooled out-of-fold predictions of one repeat and their metrics.</summary>
public sealed record RepeatOutcome(int Repeat, int[] Rows, double[] Probabilities, int[] Predicted, BinaryMetrics Metrics);

/// <summary>A metric over repeats: mean, SD, and a 95% interval (named by <see cref="Interval"/>).</summary>
public sealed record MetricSummary(string Metric, double Mean, double Sd, double Lower, double Upper, string Interval);

public sealed record ValidationResult(ValidationPlan Plan, IReadOnlyList<ModelSpec> Candidates, IReadOnlyList<FoldOutcome> Folds,
                                      IReadOnlyList<RepeatOutcome> Repeats, IReadOnlyList<MetricSummary> Summary)
{
    public MetricSummary this[string metric] => Summary.First(s => s.Metric == metric);
}

/// <summary>
/// Nested cross-validation: the outer loop estimates performance; inside each outer training set an inner
/// stratified, patient-grouped k-fold chooses among candidate recipes (hyper-parameters, feature counts) by AUC
/// and sets the Youden threshold on the chosen recipe's inner out-of-fold probabilities. Only then is the recipe
/// refitted on the whole outer training set and applied to the outer test cases, which nothing before has seen.
/// </summary>
public static class NestedCrossValidation
{
    public static ValidationResult Run(CohortTable cohort, IReadOnlyList<ModelSpec> candidates, ValidationPlan plan, IProgress<string>? progress = null)
    {
        plan.Validated();
        if (candidates.Count == 0) throw new ArgumentException("at least one candidate model is needed");
        int repeats = plan.Scheme == ValidationScheme.RepeatedKFold ? plan.Repeats : 1;
        var jobs = new List<(int Repeat, Split Split)>();
        for (int r = 0; r < repeats; r++)
        {
            IReadOnlyList<Split> splits = plan.Scheme switch
            {
                ValidationScheme.RepeatedKFold => Splits.StratifiedGroupKFold(cohort.Labels, cohort.PatientIds, plan.Folds, SeedOf(plan.Seed, r, -1)),
                ValidationScheme.LeaveOneSiteOut => Splits.LeaveOneSiteOut(cohort),
                ValidationScheme.ExternalTest => [Splits.External(cohort)],
                _ => throw new InvalidOperationException($"unknown scheme {plan.Scheme}"),
            };
            foreach (var s in splits) jobs.Add((r, s));
        }
        var outcomes = new FoldOutcome[jobs.Count];
        int done = 0;
        Numerics.Parallelism.For(jobs.Count, k =>
        {
            var (repeat, split) = jobs[k];
            var train = cohort.Subset(split.Train);
            var test = cohort.Subset(split.Test);
            if (train.Labels.Distinct().Count() < 2) throw new ArgumentException($"{split.Name}: the training cases hold one class only");
            var model = FitWithModelSelection(train, candidates, plan.InnerFolds, SeedOf(plan.Seed, repeat, k), out double innerAuc);
            outcomes[k] = new FoldOutcome(repeat, split.Name, model.Spec, innerAuc, model.Threshold, split.Test, model.Probabilities(test));
            progress?.Report($"validated {Interlocked.Increment(ref done)}/{jobs.Count} ({split.Name}{(repeats > 1 ? $", repeat {repeat + 1}" : "")})");
        });

        var repeatOutcomes = new List<RepeatOutcome>();
        for (int r = 0; r < repeats; r++)
        {
            var folds = outcomes.Where(o => o.Repeat == r).ToArray();
            var rows = folds.SelectMany(f => f.Test).ToArray();
            var probabilities = folds.SelectMany(f => f.Probabilities).ToArray();
            var predicted = folds.SelectMany(f => f.Probabilities.Select(p => p >= f.Threshold ? 1 : 0)).ToArray();
            var labels = rows.Select(i => cohort.Labels[i]).ToArray();
            var patients = rows.Select(i => cohort.PatientIds[i]).ToArray();
            var metrics = BinaryMetrics.Compute(probabilities, labels, predicted, patients, SeedOf(plan.Seed, r, -2));
            repeatOutcomes.Add(new RepeatOutcome(r, rows, probabilities, predicted, metrics));
        }
        return new ValidationResult(plan, candidates, outcomes, repeatOutcomes, Summarise(repeatOutcomes));
    }

    /// <summary>
    /// Chooses among <paramref name="candidates"/> by inner cross-validated AUC on <paramref name="train"/>, sets the
    /// Youden threshold from the chosen candidate's inner out-of-fold probabilities, and refits it on all of
    /// <paramref name="train"/>.
    /// </summary>
    public static TrainedPipeline FitWithModelSelection(CohortTable train, IReadOnlyList<ModelSpec> candidates, int innerFolds, int seed, out double innerAuc)
    {
        var splits = Splits.StratifiedGroupKFold(train.Labels, train.PatientIds, innerFolds, seed, "inner fold");
        ModelSpec? best = null;
        double[]? bestProbabilities = null;
        innerAuc = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            var oof = new double[train.Count];
            foreach (var split in splits)
            {
                var model = TrainedPipeline.Fit(train.Subset(split.Train), candidate);
                var p = model.Probabilities(train.Subset(split.Test));
                for (int i = 0; i < split.Test.Length; i++) oof[split.Test[i]] = p[i];
            }
            double auc = RocAuc.Compute(oof, train.Labels);
            if (auc > innerAuc) { innerAuc = auc; best = candidate; bestProbabilities = oof; }
        }
        var threshold = BinaryMetrics.YoudenThreshold(bestProbabilities!, train.Labels);
        return TrainedPipeline.Fit(train, best!) with { Threshold = threshold };
    }

    private static IReadOnlyList<MetricSummary> Summarise(IReadOnlyList<RepeatOutcome> repeats)
    {
        MetricSummary OverRepeats(string name, Func<BinaryMetrics, double> metric)
        {
            var values = repeats.Select(r => metric(r.Metrics)).ToArray();
            double mean = values.Average();
            double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
            var sorted = values.Order().ToArray();
            return values.Length > 1
                ? new MetricSummary(name, mean, sd, BinaryMetrics.Quantile(sorted, 0.025), BinaryMetrics.Quantile(sorted, 0.975), "2.5-97.5 percentile over repeats")
                : new MetricSummary(name, mean, sd, double.NaN, double.NaN, "single repeat");
        }
        double auc = repeats.Average(r => r.Metrics.Auc);
        double aucSd = repeats.Count > 1 ? Math.Sqrt(repeats.Sum(r => (r.Metrics.Auc - auc) * (r.Metrics.Auc - auc)) / (repeats.Count - 1)) : 0;
        return
        [
            new MetricSummary("auc", auc, aucSd, repeats.Average(r => r.Metrics.AucDeLongLower), repeats.Average(r => r.Metrics.AucDeLongUpper), "DeLong 95% CI (mean over repeats)"),
            new MetricSummary("auc_bootstrap", auc, aucSd, repeats.Average(r => r.Metrics.AucBootstrapLower), repeats.Average(r => r.Metrics.AucBootstrapUpper), "patient bootstrap 95% CI (mean over repeats)"),
            OverRepeats("sensitivity", m => m.Sensitivity),
            OverRepeats("specificity", m => m.Specificity),
            OverRepeats("accuracy", m => m.Accuracy),
            OverRepeats("balanced_accuracy", m => m.BalancedAccuracy),
            OverRepeats("brier", m => m.Brier),
        ];
    }

    /// <summary>A deterministic seed for (run seed, repeat, fold); fixed arithmetic, no per-process hashing.</summary>
    internal static int SeedOf(int seed, int repeat, int fold) => unchecked(seed * 1_000_003 + repeat * 7_919 + fold * 104_729 + 1);
}
