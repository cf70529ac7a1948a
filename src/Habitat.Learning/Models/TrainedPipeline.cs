using Habitat.Learning.Data;
using Habitat.Learning.Preprocessing;
using Habitat.Learning.Selection;

namespace Habitat.Learning.Models;

/// <summary>One feature's signed share of a prediction.</summary>
public sealed record FeatureContribution(string Feature, double Value, double Contribution);

/// <summary>A prediction with its explanation: contributions plus baseline add up to the output on <see cref="Scale"/>.</summary>
public sealed record Explanation(double Probability, string Scale, double Baseline, IReadOnlyList<FeatureContribution> Contributions);

/// <summary>
/// A fitted recipe, every step learned from the training cases only: ComBat harmonisation (optional) → removal of
/// near-constant features → z-scoring → removal of correlated pairs → feature selection → classifier.
/// Applies to any feature matrix whose columns are <see cref="InputFeatures"/> in that order.
/// </summary>
public sealed record TrainedPipeline
{
    public required ModelSpec Spec { get; init; }
    public required IReadOnlyList<string> InputFeatures { get; init; }
    public ComBatModel? Harmonisation { get; init; }
    /// <summary>Columns of the input that reach the classifier, in classifier order.</summary>
    public required int[] SelectedColumns { get; init; }
    /// <summary>Z-score of the selected columns.</summary>
    public required ZScore Scaler { get; init; }
    public required IClassifier Classifier { get; init; }
    /// <summary>Probability at or above which a case is called class 1 (Youden threshold chosen on training data).</summary>
    public double Threshold { get; init; } = 0.5;

    public IReadOnlyList<string> SelectedFeatures => SelectedColumns.Select(c => InputFeatures[c]).ToArray();

    public static TrainedPipeline Fit(CohortTable train, ModelSpec spec)
    {
        spec.Validated();
        var x = train.Features;
        var y = train.Labels;
        ComBatModel? combat = null;
        if (spec.Preprocessing.Harmonisation is { } prior)
        {
            var sites = train.Sites ?? throw new ArgumentException("ComBat harmonisation needs a site column in the clinical table");
            combat = ComBatModel.Fit(x, sites, y, prior);
            x = combat.Transform(x, sites, y);
        }
        var columns = FeatureFilters.NonConstant(x, spec.Preprocessing.NearConstantFraction);
        if (columns.Length == 0) throw new ArgumentException("every feature is constant or near-constant on the training cases");
        var z = x.SelectColumns(columns);
        z = ZScore.Fit(z).Transform(z);
        if (spec.Preprocessing.CorrelationThreshold is { } threshold)
        {
            var kept = FeatureFilters.Decorrelated(z, y, threshold);
            columns = kept.Select(k => columns[k]).ToArray();
            z = z.SelectColumns(kept);
        }
        var ranked = Rank(z, y, spec.Selection);
        columns = ranked.Select(k => columns[k]).ToArray();
        z = z.SelectColumns(ranked);
        var raw = x.SelectColumns(columns);
        var scaler = ZScore.Fit(raw);
        var classifier = spec.Classifier.CreateTrainer(spec.Seed).Fit(z, y);
        return new TrainedPipeline
        {
            Spec = spec, InputFeatures = train.FeatureNames.ToArray(), Harmonisation = combat,
            SelectedColumns = columns, Scaler = scaler, Classifier = classifier,
        };
    }

    /// <summary>Column indices (into <paramref name="z"/>) kept by the selection step, best first.</summary>
    private static int[] Rank(FeatureMatrix z, int[] y, SelectionSpec selection)
    {
        int count = Math.Min(selection.FeatureCount, z.Columns);
        switch (selection.Method)
        {
            case SelectionMethod.None:
                return Enumerable.Range(0, z.Columns).ToArray();
            case SelectionMethod.Wilcoxon:
            {
                var p = WilcoxonRankSum.PValues(z, y);
                var order = Enumerable.Range(0, z.Columns).OrderBy(j => p[j]).ThenBy(j => j).ToArray();
                if (selection.FdrAlpha is { } alpha)
                {
                    var q = WilcoxonRankSum.BenjaminiHochberg(p);
                    count = Math.Max(1, Math.Min(count, order.Count(j => q[j] <= alpha)));
                }
                return order.Take(count).ToArray();
            }
            case SelectionMethod.Mrmr:
                return Mrmr.Rank(z, y, count);
            case SelectionMethod.Lasso:
            {
                var entered = LassoPath.Rank(z, y, count);
                if (entered.Length == 0) throw new ArgumentException("the L1 path selected no feature");
                return entered;
            }
            default:
                throw new InvalidOperationException($"unknown selection {selection.Method}");
        }
    }

    /// <summary>Harmonised (if fitted), selected and z-scored rows ready for the classifier.</summary>
    private FeatureMatrix Prepare(FeatureMatrix x, IReadOnlyList<string>? sites)
    {
        if (x.Columns != InputFeatures.Count) throw new ArgumentException($"expected {InputFeatures.Count} features, got {x.Columns}");
        if (Harmonisation is not null)
            x = Harmonisation.Transform(x, sites ?? throw new ArgumentException("this model harmonises across sites: each case needs its site"));
        return Scaler.Transform(x.SelectColumns(SelectedColumns));
    }

    /// <summary>Probability of class 1 for each row (columns in <see cref="InputFeatures"/> order).</summary>
    public double[] Probabilities(FeatureMatrix x, IReadOnlyList<string>? sites = null)
    {
        var z = Prepare(x, sites);
        var p = new double[z.Rows];
        for (int i = 0; i < p.Length; i++) p[i] = Classifier.Probability(z.Row(i));
        return p;
    }

    /// <summary>Probabilities for a cohort whose features may be in any column order.</summary>
    public double[] Probabilities(CohortTable cohort) => Probabilities(Reorder(cohort.FeatureNames, cohort.Features, cohort.Features.Rows), cohort.Sites);

    /// <summary>The matrix with its columns put into <see cref="InputFeatures"/> order; throws naming missing features.</summary>
    public FeatureMatrix Reorder(IReadOnlyList<string> names, FeatureMatrix x, int rows)
    {
        if (names.SequenceEqual(InputFeatures)) return x;
        var table = new FeatureTable("features", Enumerable.Range(0, rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), names, x);
        return table.ColumnsInOrder(InputFeatures);
    }

    /// <summary>Signed contributions of the selected features to one case's prediction, largest magnitude first; null when the classifier cannot explain itself.</summary>
    public Explanation? Explain(ReadOnlySpan<double> row, string? site = null)
    {
        if (Classifier is not IExplainableClassifier explainable) return null;
        var values = row.ToArray();
        var z = Prepare(new FeatureMatrix(1, values.Length, values), site is null ? null : [site]);
        var contributions = explainable.Contributions(z.Row(0), out double baseline);
        var items = SelectedColumns.Select((c, k) => new FeatureContribution(InputFeatures[c], values[c], contributions[k]))
            .OrderByDescending(f => Math.Abs(f.Contribution)).ThenBy(f => f.Feature, StringComparer.Ordinal).ToArray();
        return new Explanation(Classifier.Probability(z.Row(0)), explainable.ContributionScale, baseline, items);
    }
}
