using System.Globalization;

namespace Habitat.Learning.Models;

/// <summary>The classifier families Habitat trains.</summary>
public enum ClassifierKind
{
    LogisticL2,
    Lda,
    LinearSvm,
    RbfSvm,
    RandomForest,
    GradientBoosting,
}

/// <summary>A classifier family and its hyper-parameters; immutable and validated on creation.</summary>
public sealed record ClassifierSpec
{
    public ClassifierKind Kind { get; }
    /// <summary>Inverse regularisation strength (logistic regression, SVMs).</summary>
    public double C { get; }
    /// <summary>RBF kernel width γ in exp(−γ‖x − x'‖²); null: 1/(number of features).</summary>
    public double? Gamma { get; }
    /// <summary>Number of trees (random forest, gradient boosting).</summary>
    public int Trees { get; }
    /// <summary>Smallest number of training cases in a leaf (trees).</summary>
    public int MinLeafSize { get; }
    /// <summary>Leaves per boosted tree.</summary>
    public int Leaves { get; }
    /// <summary>Shrinkage of gradient boosting.</summary>
    public double LearningRate { get; }

    public ClassifierSpec(ClassifierKind kind, double c = 1, double? gamma = null, int trees = 200, int minLeafSize = 2, int leaves = 8, double learningRate = 0.1)
    {
        if (!(c > 0) || double.IsInfinity(c)) throw new ArgumentException($"C must be a positive finite number, got {c}");
        if (gamma is { } g && !(g > 0 && double.IsFinite(g))) throw new ArgumentException($"gamma must be positive, got {g}");
        if (trees < 1) throw new ArgumentException($"trees must be at least 1, got {trees}");
        if (minLeafSize < 1) throw new ArgumentException($"minimum leaf size must be at least 1, got {minLeafSize}");
        if (leaves < 2) throw new ArgumentException($"leaves must be at least 2, got {leaves}");
        if (!(learningRate > 0 && learningRate <= 1)) throw new ArgumentException($"learning rate must be in (0, 1], got {learningRate}");
        Kind = kind; C = c; Gamma = gamma; Trees = trees; MinLeafSize = minLeafSize; Leaves = leaves; LearningRate = learningRate;
    }

    private static readonly (string Name, ClassifierKind Kind)[] Names =
    [
        ("logistic-l2", ClassifierKind.LogisticL2), ("lda", ClassifierKind.Lda), ("linear-svm", ClassifierKind.LinearSvm),
        ("rbf-svm", ClassifierKind.RbfSvm), ("random-forest", ClassifierKind.RandomForest), ("gradient-boosting", ClassifierKind.GradientBoosting),
    ];

    /// <summary>Parses a command-line model name (<c>logistic-l2</c>, <c>lda</c>, <c>linear-svm</c>, <c>rbf-svm</c>, <c>random-forest</c>, <c>gradient-boosting</c>).</summary>
    public static ClassifierKind ParseKind(string name)
    {
        foreach (var (n, k) in Names) if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return k;
        throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", KindNames)})");
    }

    public static IReadOnlyList<string> KindNames => Names.Select(n => n.Name).ToArray();

    public static string NameOf(ClassifierKind kind) => Names.First(n => n.Kind == kind).Name;

    public IClassifierTrainer CreateTrainer(int seed) => Kind switch
    {
        ClassifierKind.LogisticL2 => new LogisticRegressionTrainer(C),
        ClassifierKind.Lda => new LinearDiscriminantTrainer(),
        ClassifierKind.LinearSvm => new SvmTrainer(SvmKernel.Linear, C, null, seed),
        ClassifierKind.RbfSvm => new SvmTrainer(SvmKernel.Rbf, C, Gamma, seed),
        ClassifierKind.RandomForest => new RandomForestTrainer(Trees, MinLeafSize, null, seed),
        ClassifierKind.GradientBoosting => new GradientBoostingTrainer(Trees, Leaves, MinLeafSize, LearningRate, seed),
        _ => throw new InvalidOperationException($"no trainer for {Kind}"),
    };

    /// <summary>Name and the hyper-parameters that matter for this family.</summary>
    public string Describe() => Kind switch
    {
        ClassifierKind.LogisticL2 or ClassifierKind.LinearSvm => Invariant($"{NameOf(Kind)} C={C}"),
        ClassifierKind.RbfSvm => Invariant($"{NameOf(Kind)} C={C} gamma={(Gamma is { } g ? g.ToString(CultureInfo.InvariantCulture) : "1/p")}"),
        ClassifierKind.RandomForest => Invariant($"{NameOf(Kind)} trees={Trees} min-leaf={MinLeafSize}"),
        ClassifierKind.GradientBoosting => Invariant($"{NameOf(Kind)} trees={Trees} leaves={Leaves} min-leaf={MinLeafSize} rate={LearningRate}"),
        _ => NameOf(Kind),
    };

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
