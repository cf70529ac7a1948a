namespace Habitat.Learning.Models;

/// <summary>The classifier families Habitat trains.</summary>
public enum ClassifierKind
{
    LogisticL2,
    Lda,
}

/// <summary>A classifier family and its hyper-parameters; immutable and validated on creation.</summary>
public sealed record ClassifierSpec
{
    public ClassifierKind Kind { get; }
    /// <summary>Inverse regularisation strength (logistic regression, SVMs).</summary>
    public double C { get; }

    public ClassifierSpec(ClassifierKind kind, double c = 1)
    {
        if (!(c > 0) || double.IsInfinity(c)) throw new ArgumentException($"C must be a positive finite number, got {c}");
        Kind = kind; C = c;
    }

    /// <summary>Parses a command-line model name (<c>logistic-l2</c>, <c>lda</c>).</summary>
    public static ClassifierKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "logistic-l2" or "logistic" => ClassifierKind.LogisticL2,
        "lda" => ClassifierKind.Lda,
        _ => throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", KindNames)})"),
    };

    public static IReadOnlyList<string> KindNames => ["logistic-l2", "lda"];

    public IClassifierTrainer CreateTrainer(int seed) => Kind switch
    {
        ClassifierKind.LogisticL2 => new LogisticRegressionTrainer(C),
        ClassifierKind.Lda => new LinearDiscriminantTrainer(),
        _ => throw new InvalidOperationException($"no trainer for {Kind}"),
    };
}
