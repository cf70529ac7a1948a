using System.Globalization;

namespace Habitat.Reports;

/// <summary>A labelled value of the report (model card, settings, study facts).</summary>
public sealed record ReportItem(string Label, string Value);

/// <summary>A representative slice rendered as PNG (e.g. by <see cref="SliceRenderer"/>).</summary>
public sealed record ReportFigure(string Caption, byte[] Png);

/// <summary>One feature's signed push on the probability (its scale is <see cref="StudyReportData.ContributionScale"/>).</summary>
public sealed record ReportContribution(string Feature, double Value, double Contribution)
{
    public string Words => FeatureWording.Describe(Feature);
}

/// <summary>Everything one study's report shows; <see cref="StudyReport"/> lays it out as HTML or as a one-page PDF.</summary>
public sealed record StudyReportData(
    string Patient,
    string? StudyDate,
    string AnalysisId,
    IReadOnlyList<ReportItem> Sequences,
    IReadOnlyList<ReportFigure> Figures,
    double Probability,
    double Threshold,
    string PredictedClass,
    string PositiveClass,
    IReadOnlyList<ReportContribution> Contributions,
    string ContributionScale,
    IReadOnlyList<ReportItem> Volumes,
    IReadOnlyList<ReportItem> ModelCard,
    IReadOnlyList<ReportItem> Settings,
    string SoftwareVersion,
    string IntendedUse,
    bool SyntheticModel)
{
    public string Title => $"Habitat analysis — patient {Patient}";

    /// <summary>The statement printed at the top of every report.</summary>
    public string IntendedUseStatement =>
        (SyntheticModel && !IntendedUse.Contains("SYNTHETIC", StringComparison.Ordinal) ? "SYNTHETIC DEMONSTRATION MODEL — not for any clinical use. " : "") +
        $"Intended use: {IntendedUse}. Research and decision support only — this is not a diagnosis; " +
        "the result must be interpreted by a qualified physician together with all clinical information.";

    public string ProbabilityText => Percent(Probability);
    public static string Percent(double p) => (100 * p).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}

/// <summary>The one-page study report as self-contained HTML (built on <see cref="HtmlReport"/>).</summary>
public static class StudyReport
{
    public static string ToHtml(StudyReportData d)
    {
        var report = new HtmlReport(d.Title)
            .Notice(d.IntendedUseStatement, "intended-use")
            .Table("Study", ["item", "value"], StudyFacts(d).Select(r => (IReadOnlyList<string>)[r.Label, r.Value]), "study")
            .Figures(d.Figures.Select((f, n) => (f.Caption, f.Png, $"slice-{n}")))
            .Probability($"Probability of {d.PositiveClass} (model threshold {DPercent(d.Threshold)})", d.Probability, $"Class: {d.PredictedClass}")
            .Contributions(d.Contributions.Select(c => (c.Words, c.Value, c.Contribution)).ToArray(), d.ContributionScale, d.PositiveClass)
            .Table("Compartment volumes", ["compartment", "volume"], d.Volumes.Select(r => (IReadOnlyList<string>)[r.Label, r.Value]), "volumes")
            .Table("Model card", ["item", "value"], d.ModelCard.Select(r => (IReadOnlyList<string>)[r.Label, r.Value]), "model-card")
            .Table("Analysis settings", ["setting", "value"], d.Settings.Append(new ReportItem("software version", d.SoftwareVersion))
                .Select(r => (IReadOnlyList<string>)[r.Label, r.Value]), "settings");
        return report.ToHtml();
    }

    internal static IEnumerable<ReportItem> StudyFacts(StudyReportData d) =>
        new[] { new ReportItem("patient (pseudonym)", d.Patient), new ReportItem("study date", d.StudyDate ?? "not given"), new ReportItem("analysis", d.AnalysisId) }
            .Concat(d.Sequences.Select(s => new ReportItem("sequence " + s.Label, s.Value)));

    private static string DPercent(double p) => StudyReportData.Percent(p);
}
