using System.Globalization;
using Habitat.Learning.Data;
using Habitat.Learning.Models;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat predict</c>: probability, class and top contributing features for each case of a feature table.</summary>
public sealed class PredictCommand : ICommand
{
    public string Name => "predict";
    public string Summary => "apply a trained model: probability, class at the stored threshold, top contributing features";
    public string Usage => """
        usage: habitat predict --model DIR --features F.csv|F.parquet [options]
          --model DIR          model folder written by habitat train
          --features F         feature table (case id column + the model's features)
          --id-column NAME     case id column (default case_id, or id when the features have no case_id); --ignore-columns A,B skips columns
          --clinical C.csv     table giving each case's site (needed by ComBat-harmonised models); or
          --site NAME          one site for every case
          --site-column NAME   site column of --clinical (default site)
          --top N              contributions shown per case (default 5)
          --out P.csv          also write case_id,probability,predicted_label,predicted_class,contributions
          --force              accept features extracted with other settings (hash mismatch)
        Contributions: exact log-odds terms for linear models; exact TreeSHAP values for forests and boosting.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "force" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var modelDir = args.Required("model");
        var featuresPath = args.Required("features");
        var idColumn = args.Option("id-column");
        var ignored = (args.Option("ignore-columns") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var clinicalPath = args.Option("clinical");
        var site = args.Option("site");
        var siteColumn = args.Option("site-column") ?? "site";
        int top = args.Int("top", 5);
        if (top < 0) throw new UsageException("--top must be non-negative");
        var output = args.Option("out");
        bool force = args.Flag("force");
        args.EnsureAllUsed();
        if (clinicalPath is not null && site is not null) throw new UsageException("give --clinical or --site, not both");

        var bundle = ModelBundle.Load(modelDir);
        var features = FeatureTable.Read(featuresPath, idColumn, ignored);
        IReadOnlyList<string>? sites = site is not null ? Enumerable.Repeat(site, features.CaseIds.Count).ToArray() : null;
        if (clinicalPath is not null)
        {
            var clinical = CsvTable.Read(clinicalPath);
            int id = clinical.Column(idColumn ?? FeatureTable.CohortIdColumn), s = clinical.Column(siteColumn);
            var siteOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in clinical.Rows) siteOf[row[id].Trim()] = row[s].Trim();
            sites = features.CaseIds.Select(c => siteOf.TryGetValue(c, out var v) ? v : throw new InvalidDataException($"{clinicalPath}: no site for case '{c}'")).ToArray();
        }
        if (force && bundle.SettingsHash is not null && features.SettingsHash != bundle.SettingsHash)
            stderr.WriteLine($"warning: features settings {features.SettingsHash ?? "(none)"} differ from the model's {bundle.SettingsHash}; predicting anyway (--force)");
        var predictions = bundle.Predict(features, sites, force, top);

        stdout.WriteLine($"model: {bundle.Pipeline.Spec.Describe()}; threshold {F(bundle.Pipeline.Threshold, "F4")}; class 1 = {bundle.TrainingCohort.ClassNames[1]}");
        foreach (var p in predictions)
        {
            stdout.WriteLine($"{p.CaseId}: P({bundle.TrainingCohort.ClassNames[1]}) = {F(p.Probability, "F4")} → {p.PredictedClass}");
            if (p.Explanation is { } e)
                foreach (var c in e.Contributions)
                    stdout.WriteLine($"    {(c.Contribution >= 0 ? "+" : "−")}{F(Math.Abs(c.Contribution), "F4")}  {c.Feature} = {F(c.Value, "G6")}");
        }
        if (predictions.FirstOrDefault()?.Explanation is { } first) stdout.WriteLine($"(contributions on the {first.Scale} scale)");
        if (output is not null)
            CsvTable.WriteAtomic(output, ["case_id", "probability", "predicted_label", "predicted_class", "contributions"],
                predictions.Select(p => (IReadOnlyList<string>)[p.CaseId, CsvTable.Format(p.Probability), p.PredictedLabel.ToString(CultureInfo.InvariantCulture),
                    p.PredictedClass, p.Explanation is null ? "" : string.Join("; ", p.Explanation.Contributions.Select(c => $"{c.Feature}={CsvTable.Format(c.Contribution)}"))]));
        return 0;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
