using Habitat.Learning.Preprocessing;

namespace Habitat.Learning.Models;

/// <summary>How features are ranked before the top <see cref="SelectionSpec.FeatureCount"/> are kept.</summary>
public enum SelectionMethod
{
    /// <summary>Keep every feature that survives the filters.</summary>
    None,
    /// <summary>Wilcoxon rank-sum p-value (optionally only features with Benjamini–Hochberg q ≤ α).</summary>
    Wilcoxon,
    /// <summary>Minimum-redundancy maximum-relevance (MID, mutual information).</summary>
    Mrmr,
    /// <summary>Order of entry along the L1-penalised logistic regression path.</summary>
    Lasso,
}

/// <summary>Preprocessing fitted on the training cases only.</summary>
public sealed record PreprocessingSpec
{
    /// <summary>A feature is dropped when one value covers at least this fraction of training cases.</summary>
    public double NearConstantFraction { get; init; } = 0.95;
    /// <summary>|Pearson r| above which the less relevant feature of a pair is dropped; null keeps correlated pairs.</summary>
    public double? CorrelationThreshold { get; init; } = 0.9;
    /// <summary>ComBat harmonisation across sites (needs a site per case); null: none.</summary>
    public ComBatPrior? Harmonisation { get; init; }

    public void Validate()
    {
        if (!(NearConstantFraction > 0 && NearConstantFraction <= 1)) throw new ArgumentException($"near-constant fraction must be in (0, 1], got {NearConstantFraction}");
        if (CorrelationThreshold is { } t && !(t > 0 && t <= 1)) throw new ArgumentException($"correlation threshold must be in (0, 1], got {t}");
    }
}

/// <summary>Feature selection fitted on the training cases only.</summary>
public sealed record SelectionSpec
{
    public SelectionMethod Method { get; init; } = SelectionMethod.None;
    /// <summary>Number of features kept (ignored for <see cref="SelectionMethod.None"/>).</summary>
    public int FeatureCount { get; init; } = 10;
    /// <summary>Wilcoxon only: keep only features whose Benjamini–Hochberg q-value is at most this (at least one is kept).</summary>
    public double? FdrAlpha { get; init; }

    public void Validate()
    {
        if (Method != SelectionMethod.None && FeatureCount < 1) throw new ArgumentException($"feature count must be at least 1, got {FeatureCount}");
        if (FdrAlpha is { } a && !(a > 0 && a <= 1)) throw new ArgumentException($"FDR alpha must be in (0, 1], got {a}");
    }
}

/// <summary>A complete recipe: preprocessing, feature selection, classifier, and the seed that makes it reproducible.</summary>
public sealed record ModelSpec
{
    public ClassifierSpec Classifier { get; init; } = new(ClassifierKind.LogisticL2);
    public PreprocessingSpec Preprocessing { get; init; } = new();
    public SelectionSpec Selection { get; init; } = new();
    public int Seed { get; init; }

    public ModelSpec Validated()
    {
        Preprocessing.Validate();
        Selection.Validate();
        return this;
    }

    /// <summary>A short human-readable description.</summary>
    public string Describe() =>
        $"{Classifier.Describe()}; selection {Selection.Method}" + (Selection.Method == SelectionMethod.None ? "" : $" top {Selection.FeatureCount}") +
        (Preprocessing.Harmonisation is { } h ? $"; ComBat {h}" : "");
}
