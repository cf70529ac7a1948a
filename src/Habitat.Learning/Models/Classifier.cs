using System.Text.Json.Serialization;
using Habitat.Learning.Data;

namespace Habitat.Learning.Models;

/// <summary>A trained binary classifier: probability of label 1 for one case's (preprocessed) feature row.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LinearClassifier), "linear")]
[JsonDerivedType(typeof(KernelSvmClassifier), "kernel-svm")]
[JsonDerivedType(typeof(RandomForestClassifier), "random-forest")]
[JsonDerivedType(typeof(GradientBoostingClassifier), "gradient-boosting")]
public interface IClassifier
{
    double Probability(ReadOnlySpan<double> features);
}

/// <summary>A classifier that can explain a prediction as signed per-feature contributions to its output.</summary>
public interface IExplainableClassifier : IClassifier
{
    /// <summary>
    /// Signed contribution of each feature to the prediction, on the scale named by <see cref="ContributionScale"/>;
    /// contributions plus <paramref name="baseline"/> add up to the model output on that scale.
    /// </summary>
    double[] Contributions(ReadOnlySpan<double> features, out double baseline);
    string ContributionScale { get; }
}

/// <summary>Learns a classifier from a feature matrix and 0/1 labels.</summary>
public interface IClassifierTrainer
{
    IClassifier Fit(FeatureMatrix features, ReadOnlySpan<int> labels);
}

/// <summary>
/// A linear score turned into a probability: p = σ(w·x + b). L2/L1 logistic regression, LDA and Platt-scaled
/// linear SVMs all end as one of these, so their contributions w_j·x_j are exact on the log-odds scale.
/// </summary>
public sealed record LinearClassifier(double[] Weights, double Intercept) : IExplainableClassifier
{
    public double LogOdds(ReadOnlySpan<double> features)
    {
        if (features.Length != Weights.Length) throw new ArgumentException($"expected {Weights.Length} features, got {features.Length}");
        double z = Intercept;
        for (int j = 0; j < Weights.Length; j++) z += Weights[j] * features[j];
        return z;
    }

    public double Probability(ReadOnlySpan<double> features) => Logistic.Sigmoid(LogOdds(features));

    public string ContributionScale => "log-odds";

    public double[] Contributions(ReadOnlySpan<double> features, out double baseline)
    {
        if (features.Length != Weights.Length) throw new ArgumentException($"expected {Weights.Length} features, got {features.Length}");
        baseline = Intercept;
        var c = new double[Weights.Length];
        for (int j = 0; j < c.Length; j++) c[j] = Weights[j] * features[j];
        return c;
    }
}

/// <summary>Numerically stable logistic helpers.</summary>
public static class Logistic
{
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>log(1 + e^z) without overflow.</summary>
    public static double Softplus(double z) => z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z));

    internal static void CheckBinary(FeatureMatrix x, ReadOnlySpan<int> y)
    {
        if (x.Rows != y.Length) throw new ArgumentException($"{x.Rows} feature rows but {y.Length} labels");
        int positives = 0;
        foreach (var label in y)
        {
            if (label is not (0 or 1)) throw new ArgumentException($"labels must be 0 or 1, got {label}");
            positives += label;
        }
        if (positives == 0 || positives == y.Length) throw new ArgumentException("training data hold only one class");
    }
}
