using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Learning.Reporting;
using Habitat.Learning.Validation;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat train</c>: nested-CV metrics, then the final model on all cases, saved as a model folder.</summary>
public sealed class TrainCommand : ICommand
{
    public string Name => "train";
    public string Summary => "train a classifier on a cohort and save it as a model folder (model.json + CV report)";
    public string Usage => """
        usage: habitat train --features F --clinical C (--model-spec S.json | --model NAME ...) --out DIR [--no-cv]
          Validates the model grid by nested cross-validation (unless --no-cv), then chooses the candidate and the
          decision threshold by cross-validation on all cases and fits it on every case. DIR receives model.json
          (settings hash, features, preprocessing, harmonisation, classifier, threshold, cohort, CV metrics,
          library versions) and, with CV, the validation report in DIR/validation/.
        """ + "\n" + LearningOptions.CohortUsage + "\n" + LearningOptions.ModelUsage + "\n" + """
          --settings S.yaml            extraction settings: embedded in model.json; their hash (SHA-256 of the text)
                                       is recorded and must match the feature table's settings_hash if it has one
          --out DIR                    model folder
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "no-cv", "drop-constant", "drop-incomplete" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var source = LearningOptions.Cohort(args);
        IReadOnlyList<ModelSpec> candidates;
        ValidationPlan plan;
        try
        {
            var search = LearningOptions.Search(args);
            candidates = search.Candidates();
            plan = search.Plan();
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        bool crossValidate = !args.Flag("no-cv");
        var settingsPath = args.Option("settings");
        var output = args.Required("out");
        args.EnsureAllUsed();

        var cohort = source.Load(stderr);
        string? settingsText = null;
        if (settingsPath is not null)
        {
            if (!File.Exists(settingsPath)) throw new FileNotFoundException($"{settingsPath}: file not found", settingsPath);
            settingsText = File.ReadAllText(settingsPath);
            var hash = SettingsHash.Of(settingsText);
            if (cohort.SettingsHash is not null && cohort.SettingsHash != hash)
                throw new InvalidDataException($"{settingsPath} (hash {hash}) is not the settings the features were extracted with (settings_hash {cohort.SettingsHash})");
            cohort = new CohortTable(cohort.CaseIds, cohort.PatientIds, cohort.Labels, cohort.ClassNames,
                cohort.Sites, cohort.Splits, cohort.FeatureNames, cohort.Features, hash);
        }
        stdout.WriteLine($"{cohort.Count} cases ({cohort.Labels.Sum()} {cohort.ClassNames[1]}), {cohort.FeatureNames.Count} features; {candidates.Count} candidate model(s)");
        var (bundle, validation) = ModelBundle.Train(cohort, candidates, plan, crossValidate, new LineProgress(stderr));
        bundle = bundle with { FeatureSettings = settingsText };
        bundle.Save(output);
        if (validation is not null)
        {
            ValidationReport.Write(validation, cohort, Path.Combine(output, "validation"));
            stdout.Write(ValidationReport.Table(validation));
        }
        stdout.WriteLine($"final model: {bundle.Pipeline.Spec.Describe()}; threshold {bundle.Pipeline.Threshold.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"selected features ({bundle.SelectedFeatures.Count}): {string.Join(", ", bundle.SelectedFeatures.Take(20))}{(bundle.SelectedFeatures.Count > 20 ? ", …" : "")}");
        if (bundle.SettingsHash is null) stdout.WriteLine("note: the features carry no extraction-settings hash; predict cannot check settings");
        stdout.WriteLine($"model written: {output}");
        return 0;
    }
}
