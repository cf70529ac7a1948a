using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Habitat.Learning.Data;
using Habitat.Learning.Validation;

namespace Habitat.Learning.Models;

/// <summary>Thrown when features were extracted with settings other than the model's (hash mismatch).</summary>
public sealed class SettingsMismatchException(string message) : InvalidOperationException(message);

/// <summary>Who the model was trained on.</summary>
public sealed record CohortSummary(int Cases, int Patients, int Positives, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<string, int> CasesPerSite);

/// <summary>One case's prediction: probability of class 1, the class at the stored threshold, and the reasons.</summary>
public sealed record CasePrediction(string CaseId, double Probability, int PredictedLabel, string PredictedClass, Explanation? Explanation);

/// <summary>
/// A trained model with everything needed to apply and audit it, saved as a folder holding <c>model.json</c>:
/// feature-extraction settings hash, selected features, preprocessing and harmonisation parameters, classifier and
/// hyper-parameters, threshold, training cohort summary, cross-validated metrics and library versions. All
/// classifiers (including the trees trained by ML.NET) are stored as plain parameters in the manifest.
/// </summary>
public sealed record ModelBundle
{
    public const string FormatName = "habitat-model/1";
    public const string ManifestName = "model.json";

    public string Format { get; init; } = FormatName;
    public string? SettingsHash { get; init; }
    /// <summary>Text of the feature-extraction settings file, when given at training.</summary>
    public string? FeatureSettings { get; init; }
    public required TrainedPipeline Pipeline { get; init; }
    public required CohortSummary TrainingCohort { get; init; }
    public IReadOnlyList<MetricSummary>? CrossValidation { get; init; }
    public IReadOnlyList<ModelSpec>? Candidates { get; init; }
    public required IReadOnlyDictionary<string, string> Libraries { get; init; }

    public IReadOnlyList<string> SelectedFeatures => Pipeline.SelectedFeatures;

    /// <summary>
    /// Validates the candidates by nested cross-validation (unless <paramref name="crossValidate"/> is false), then
    /// chooses among them on the whole cohort by inner cross-validation and fits the chosen one on every case.
    /// </summary>
    public static (ModelBundle Bundle, ValidationResult? Validation) Train(CohortTable cohort, IReadOnlyList<ModelSpec> candidates, ValidationPlan plan,
                                                                          bool crossValidate = true, IProgress<string>? progress = null)
    {
        var validation = crossValidate ? NestedCrossValidation.Run(cohort, candidates, plan, progress) : null;
        progress?.Report("fitting the final model on all cases");
        var pipeline = NestedCrossValidation.FitWithModelSelection(cohort, candidates, plan.InnerFolds, NestedCrossValidation.SeedOf(plan.Seed, -1, -1), out _);
        var bundle = new ModelBundle
        {
            SettingsHash = cohort.SettingsHash,
            Pipeline = pipeline,
            TrainingCohort = new CohortSummary(cohort.Count, cohort.PatientIds.Distinct().Count(), cohort.Labels.Sum(), cohort.ClassNames,
                (cohort.Sites ?? Enumerable.Repeat("(none)", cohort.Count).ToArray()).GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count())),
            CrossValidation = validation?.Summary,
            Candidates = candidates,
            Libraries = LibraryVersions(),
        };
        return (bundle, validation);
    }

    private static Dictionary<string, string> LibraryVersions()
    {
        static string VersionOf(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "?";
        return new Dictionary<string, string>
        {
            ["Habitat.Learning"] = VersionOf(typeof(ModelBundle).Assembly),
            ["Microsoft.ML.FastTree"] = VersionOf(typeof(Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer).Assembly),
            ["Parquet.Net"] = VersionOf(typeof(Parquet.ParquetReader).Assembly),
            ["ScottPlot"] = VersionOf(typeof(ScottPlot.Plot).Assembly),
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <c>model.json</c> into <paramref name="folder"/> (atomically).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, ManifestName), JsonSerializer.Serialize(this, Json));
    }

    public static ModelBundle Load(string folder)
    {
        var path = Path.Combine(folder, ManifestName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder}: no {ManifestName} (not a habitat model folder)", path);
        ModelBundle? bundle;
        try { bundle = JsonSerializer.Deserialize<ModelBundle>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable model manifest ({e.Message})", e); }
        if (bundle is null || bundle.Format != FormatName) throw new InvalidDataException($"{path}: not a {FormatName} manifest");
        return bundle;
    }

    /// <summary>
    /// Predicts every case of <paramref name="features"/>. Refuses features whose extraction-settings hash differs
    /// from the model's (or is missing while the model has one) unless <paramref name="force"/>.
    /// </summary>
    public IReadOnlyList<CasePrediction> Predict(FeatureTable features, IReadOnlyList<string>? sites = null, bool force = false, int topFeatures = 5)
    {
        if (!force && SettingsHash is not null && features.SettingsHash != SettingsHash)
            throw new SettingsMismatchException(features.SettingsHash is null
                ? $"{features.Source}: the features carry no extraction-settings hash, the model was trained on settings {SettingsHash}; re-extract with the model's settings or force"
                : $"{features.Source}: features were extracted with settings {features.SettingsHash}, the model with {SettingsHash}; re-extract with the model's settings or force");
        var x = features.ColumnsInOrder(Pipeline.InputFeatures);
        var probabilities = Pipeline.Probabilities(x, sites);
        var result = new CasePrediction[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            int label = probabilities[i] >= Pipeline.Threshold ? 1 : 0;
            var explanation = Pipeline.Explain(x.Row(i), sites?[i]);
            if (explanation is not null) explanation = explanation with { Contributions = explanation.Contributions.Take(topFeatures).ToArray() };
            result[i] = new CasePrediction(features.CaseIds[i], probabilities[i], label, TrainingCohort.ClassNames[label], explanation);
        }
        return result;
    }
}
