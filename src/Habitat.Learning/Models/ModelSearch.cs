using System.Text.Json;
using System.Text.Json.Serialization;
using Habitat.Learning.Preprocessing;
using Habitat.Learning.Validation;

namespace Habitat.Learning.Models;

/// <summary>
/// A model-spec file: one classifier family with lists of hyper-parameter values and feature counts; the grid of
/// all combinations is what nested cross-validation chooses from. JSON, e.g.
/// <c>{"classifier":"logistic-l2","C":[0.1,1,10],"selection":"mrmr","featureCounts":[5,10],"harmonisation":"parametric",
/// "validation":{"scheme":"kfold","folds":5,"repeats":10,"innerFolds":3},"seed":1}</c>.
/// </summary>
public sealed record ModelSearch
{
    public string Classifier { get; init; } = "logistic-l2";
    [JsonPropertyName("C")] public double[] C { get; init; } = [1];
    public double[]? Gamma { get; init; }
    public int[] Trees { get; init; } = [200];
    public int[] Leaves { get; init; } = [8];
    public int[] MinLeafSize { get; init; } = [2];
    public double[] LearningRate { get; init; } = [0.1];
    public string Selection { get; init; } = "none";
    public int[] FeatureCounts { get; init; } = [10];
    public double? FdrAlpha { get; init; }
    public double NearConstantFraction { get; init; } = 0.95;
    public double? CorrelationThreshold { get; init; } = 0.9;
    /// <summary><c>parametric</c>, <c>nonparametric</c> or null (no ComBat).</summary>
    public string? Harmonisation { get; init; }
    public ValidationSettings Validation { get; init; } = new();
    public int Seed { get; init; }

    public sealed record ValidationSettings
    {
        /// <summary><c>kfold</c>, <c>loso</c> (leave one site out) or <c>external</c>.</summary>
        public string Scheme { get; init; } = "kfold";
        public int Folds { get; init; } = 5;
        public int Repeats { get; init; } = 1;
        public int InnerFolds { get; init; } = 3;
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, // a misspelt key is an error, not a silent default
    };

    public static ModelSearch Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        try
        {
            return JsonSerializer.Deserialize<ModelSearch>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty model spec");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid model spec ({e.Message})", e);
        }
    }

    public ValidationPlan Plan() => new ValidationPlan
    {
        Scheme = Validation.Scheme.ToLowerInvariant() switch
        {
            "kfold" or "k-fold" => ValidationScheme.RepeatedKFold,
            "loso" or "leave-one-site-out" => ValidationScheme.LeaveOneSiteOut,
            "external" => ValidationScheme.ExternalTest,
            _ => throw new ArgumentException($"unknown validation scheme '{Validation.Scheme}' (kfold, loso, external)"),
        },
        Folds = Validation.Folds, Repeats = Validation.Repeats, InnerFolds = Validation.InnerFolds, Seed = Seed,
    }.Validated();

    /// <summary>Every combination of the listed values, validated.</summary>
    public IReadOnlyList<ModelSpec> Candidates()
    {
        var kind = ClassifierSpec.ParseKind(Classifier);
        var method = Selection.ToLowerInvariant() switch
        {
            "none" => SelectionMethod.None,
            "wilcoxon" => SelectionMethod.Wilcoxon,
            "mrmr" => SelectionMethod.Mrmr,
            "lasso" or "l1" => SelectionMethod.Lasso,
            _ => throw new ArgumentException($"unknown selection '{Selection}' (none, wilcoxon, mrmr, lasso)"),
        };
        ComBatPrior? prior = Harmonisation?.ToLowerInvariant() switch
        {
            null or "" or "none" => null,
            "parametric" => ComBatPrior.Parametric,
            "nonparametric" or "non-parametric" => ComBatPrior.NonParametric,
            _ => throw new ArgumentException($"unknown harmonisation '{Harmonisation}' (none, parametric, nonparametric)"),
        };
        var preprocessing = new PreprocessingSpec { NearConstantFraction = NearConstantFraction, CorrelationThreshold = CorrelationThreshold, Harmonisation = prior };
        var counts = method == SelectionMethod.None ? [0] : FeatureCounts;
        var gammas = Gamma is null ? [(double?)null] : Gamma.Select(g => (double?)g).ToArray();
        bool usesC = kind is ClassifierKind.LogisticL2 or ClassifierKind.LinearSvm or ClassifierKind.RbfSvm;
        bool usesTrees = kind is ClassifierKind.RandomForest or ClassifierKind.GradientBoosting;
        var specs = new List<ModelSpec>();
        foreach (var c in usesC ? C : [1.0])
        foreach (var gamma in kind == ClassifierKind.RbfSvm ? gammas : [null])
        foreach (var trees in usesTrees ? Trees : [200])
        foreach (var leaves in kind == ClassifierKind.GradientBoosting ? Leaves : [8])
        foreach (var minLeaf in usesTrees ? MinLeafSize : [2])
        foreach (var rate in kind == ClassifierKind.GradientBoosting ? LearningRate : [0.1])
        foreach (var count in counts)
            specs.Add(new ModelSpec
            {
                Classifier = new ClassifierSpec(kind, c, gamma, trees, minLeaf, leaves, rate),
                Preprocessing = preprocessing,
                Selection = new SelectionSpec { Method = method, FeatureCount = Math.Max(count, 1), FdrAlpha = FdrAlpha },
                Seed = Seed,
            }.Validated());
        return specs;
    }
}
