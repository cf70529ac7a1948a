using Habitat.Learning.Data;
using Habitat.Learning.Models;

namespace Habitat.Cli.Commands;

/// <summary>Command-line options shared by validate, train and predict: cohort columns and the model grid.</summary>
internal static class LearningOptions
{
    public const string CohortUsage = """
          --features F.csv|F.parquet   feature table: case id column + numeric features (settings_hash column optional)
          --clinical C.csv             clinical table: case id, patient id, label, site, optional split (train/test)
          --id-column NAME             case id column (default case_id; in the feature table id when it has no case_id,
                                       as habitat extract writes); --patient-column (patient_id), --label-column (label),
                                       --site-column (site), --split-column (split); --positive-class V names class 1
          --ignore-columns A,B         non-feature columns of the feature table to skip
          --drop-constant              drop features constant over the cohort (default: that is an error)
          --drop-incomplete            drop features missing (empty/NaN) in any case (default: that is an error)
        """;

    public const string ModelUsage = """
          --model-spec S.json          model grid + validation settings (see docs/learning.md); or instead:
          --model NAME                 logistic-l2 | lda | linear-svm | rbf-svm | random-forest | gradient-boosting
          --C LIST                     comma-separated C values (default 1)
          --selection NAME             none | wilcoxon | mrmr | lasso (default none)
          --feature-counts LIST        comma-separated feature counts tried inside CV (default 10)
          --harmonise KIND             none | parametric | nonparametric (ComBat across sites)
          --folds K --repeats R --inner-folds K2 --scheme kfold|loso|external --seed N
        """;

    public static CohortColumns Columns(CliArgs args) => new()
    {
        CaseId = args.Option("id-column") ?? "case_id",
        PatientId = args.Option("patient-column") ?? "patient_id",
        Label = args.Option("label-column") ?? "label",
        Site = args.Option("site-column") ?? "site",
        Split = args.Option("split-column") ?? "split",
        PositiveClass = args.Option("positive-class"),
        DropConstantFeatures = args.Flag("drop-constant"),
        DropIncompleteFeatures = args.Flag("drop-incomplete"),
    };

    public static IReadOnlyCollection<string> IgnoredColumns(CliArgs args) =>
        (args.Option("ignore-columns") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Cohort inputs read from the command line; loaded only after every option was checked.</summary>
    public sealed record CohortSource(string Features, string? FeatureIdColumn, string Clinical, CohortColumns Columns, IReadOnlyCollection<string> Ignored)
    {
        public CohortTable Load(TextWriter log)
        {
            var cohort = CohortTable.Join(FeatureTable.Read(Features, FeatureIdColumn, Ignored), CsvTable.Read(Clinical), Columns);
            Report(log, "constant", cohort.DroppedConstantFeatures);
            Report(log, "incomplete", cohort.DroppedIncompleteFeatures);
            return cohort;
        }
    }

    private static void Report(TextWriter log, string why, IReadOnlyList<string> dropped)
    {
        if (dropped.Count > 0)
            log.WriteLine($"dropped {dropped.Count} {why} feature(s): {string.Join(", ", dropped.Take(10))}{(dropped.Count > 10 ? ", …" : "")}");
    }

    public static CohortSource Cohort(CliArgs args) =>
        new(args.Required("features"), args.Option("id-column"), args.Required("clinical"), Columns(args), IgnoredColumns(args));

    /// <summary>The model grid from <c>--model-spec</c>, or from the individual options.</summary>
    public static ModelSearch Search(CliArgs args)
    {
        var specPath = args.Option("model-spec");
        var search = specPath is not null ? ModelSearch.Read(specPath) : new ModelSearch();
        var model = args.Option("model");
        if (model is not null) search = search with { Classifier = model };
        if (args.Option("C") is { } c) search = search with { C = Doubles("C", c) };
        if (args.Option("selection") is { } s) search = search with { Selection = s };
        if (args.Option("feature-counts") is { } k) search = search with { FeatureCounts = Doubles("feature-counts", k).Select(v => (int)v).ToArray() };
        if (args.Option("harmonise") is { } h) search = search with { Harmonisation = h };
        var validation = search.Validation;
        validation = validation with
        {
            Folds = args.Int("folds", validation.Folds),
            Repeats = args.Int("repeats", validation.Repeats),
            InnerFolds = args.Int("inner-folds", validation.InnerFolds),
            Scheme = args.Option("scheme") ?? validation.Scheme,
        };
        search = search with { Validation = validation, Seed = args.Int("seed", search.Seed) };
        if (specPath is null && model is null) throw new UsageException("give --model-spec S.json or --model NAME");
        return search;
    }

    private static double[] Doubles(string option, string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"--{option}: '{parts[i]}' is not a number");
        return values.Length > 0 ? values : throw new UsageException($"--{option} needs at least one value");
    }
}

/// <summary>Writes progress lines immediately and in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    private readonly Lock _gate = new();
    public void Report(string value) { lock (_gate) writer.WriteLine(value); }
}
