using System.Globalization;
using System.Text.Json;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Reports;
using Habitat.Server.Domain;
using Habitat.Server.Storage;

namespace Habitat.Server.Pages;

/// <summary>
/// What the study view and the report show beyond the raw analysis record: contributions in plain words with their
/// direction, compartment volumes from the label map, the model card, and the report itself (representative slices
/// rendered with <see cref="SliceRenderer"/>, laid out by <see cref="StudyReport"/> and <see cref="PdfReport"/>).
/// </summary>
public sealed class StudyReports(Studies studies, Analyses analyses, Models models, BlobStore blobs)
{
    /// <summary>The analysis with its study and model, or null when any is missing.</summary>
    public async Task<(AnalysisRecord Analysis, Study Study, ModelInfo Model)?> LoadAsync(string analysisId)
    {
        var analysis = await analyses.GetAsync(analysisId);
        if (analysis is null) return null;
        var study = await studies.GetAsync(analysis.StudyId);
        var model = await models.GetAsync(analysis.ModelId);
        return study is null || model is null ? null : (analysis, study, model);
    }

    public static string PositiveClass(ModelInfo model) =>
        model.Summary.TryGetProperty("classNames", out var names) && names.ValueKind == JsonValueKind.Array && names.GetArrayLength() == 2
            ? names[1].GetString() ?? "recurrence" : "recurrence";

    public static IReadOnlyList<ReportContribution> Contributions(AnalysisRecord a)
    {
        if (a.Contributions is not { ValueKind: JsonValueKind.Object } c || !c.TryGetProperty("items", out var items)) return [];
        return items.EnumerateArray().Select(i => new ReportContribution(i.GetProperty("feature").GetString() ?? "", Number(i.GetProperty("value")),
            Number(i.GetProperty("contribution")))).ToArray();
    }

    public static string ContributionScale(AnalysisRecord a) =>
        a.Contributions is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty("scale", out var s) ? s.GetString() ?? "" : "";

    /// <summary>The model card: classifier, training cohort, cross-validated AUC with its interval, threshold, intended use.</summary>
    public static IReadOnlyList<ReportItem> ModelCard(ModelInfo model)
    {
        var s = model.Summary;
        var items = new List<ReportItem> { new("model", model.Name + (model.Synthetic ? " (SYNTHETIC)" : "")) };
        if (s.TryGetProperty("model", out var m)) items.Add(new("classifier", m.ToString()));
        if (s.TryGetProperty("trainingCohort", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            int cases = c.GetProperty("Cases").GetInt32(), positives = c.GetProperty("Positives").GetInt32();
            var classes = c.GetProperty("ClassNames").EnumerateArray().Select(x => x.GetString()).ToArray();
            var sites = c.TryGetProperty("CasesPerSite", out var ps) && ps.ValueKind == JsonValueKind.Object
                ? string.Join(", ", ps.EnumerateObject().Select(p => $"{p.Name} {p.Value}")) : "";
            items.Add(new("training cohort", $"{cases} studies of {c.GetProperty("Patients").GetInt32()} patients: {positives} {classes.ElementAtOrDefault(1)}, " +
                                              $"{cases - positives} {classes.ElementAtOrDefault(0)}" + (sites.Length > 0 ? $"; sites: {sites}" : "")));
        }
        if (s.TryGetProperty("crossValidation", out var cv) && cv.ValueKind == JsonValueKind.Array)
            foreach (var metric in cv.EnumerateArray())
            {
                var name = metric.GetProperty("Metric").GetString() ?? "";
                if (name != "auc") continue;
                double mean = Number(metric.GetProperty("Mean")), low = Number(metric.GetProperty("Lower")), high = Number(metric.GetProperty("Upper"));
                items.Add(new("cross-validated AUC", $"{F(mean)}" + (double.IsFinite(low) ? $" (95% CI {F(low)}–{F(high)}; {metric.GetProperty("Interval").GetString()})" : "")));
            }
        else items.Add(new("cross-validated AUC", "not cross-validated"));
        if (s.TryGetProperty("threshold", out var t)) items.Add(new("threshold", F(Number(t))));
        if (s.TryGetProperty("selectedFeatures", out var f) && f.ValueKind == JsonValueKind.Array) items.Add(new("features used", f.GetArrayLength().ToString(CultureInfo.InvariantCulture)));
        items.Add(new("intended use", IntendedUse(model)));
        return items;
    }

    public static string IntendedUse(ModelInfo model) =>
        model.Summary.TryGetProperty("intendedUse", out var u) ? u.GetString() ?? "" : "research and decision support; not a diagnosis";

    /// <summary>Compartment volumes (mL) counted on the study's label map.</summary>
    public IReadOnlyList<ReportItem> Volumes(Study study) => Volumes(ReadLabels(study));

    private static IReadOnlyList<ReportItem> Volumes(LabelVolume labels)
    {
        var counts = labels.CountByLabel();
        double ml = labels.Grid.VoxelVolume / 1000;
        double Of(params int[] l) => l.Sum(x => counts.GetValueOrDefault(x)) * ml;
        string Ml(double v) => v.ToString("0.00", CultureInfo.InvariantCulture) + " mL";
        return [new("enhancing", Ml(Of(3, 4))), new("necrotic core", Ml(Of(1))), new("oedema", Ml(Of(2))), new("whole lesion (enhancing + core)", Ml(Of(1, 3, 4)))];
    }

    private LabelVolume ReadLabels(Study study) =>
        ImageFile.ReadLabels(blobs.PathOf(study.Files.First(f => f.Role == FileRoles.LabelMap).Blob));

    public StudyReportData Report(AnalysisRecord a, Study study, ModelInfo model)
    {
        var labels = ReadLabels(study);
        int slice = SliceRenderer.SliceWithMost(labels, [1, 3, 4]);
        var figures = new List<ReportFigure>();
        foreach (var role in new[] { "T1c", "FLAIR" })
        {
            if (study.Files.FirstOrDefault(f => f.Role == role) is not { } file) continue;
            var image = ImageFile.Read(blobs.PathOf(file.Blob));
            if (figures.Count == 0) figures.Add(new($"{role}, axial slice {slice + 1}", SliceRenderer.AxialPng(image, slice, pixelsPerMm: 1.5)));
            figures.Add(new($"{role} with habitat labels", SliceRenderer.AxialPng(image, slice, labels, pixelsPerMm: 1.5)));
        }
        var settings = new List<ReportItem> { new("model id", a.ModelId), new("analysed", a.CreatedAt) };
        foreach (var p in a.Settings.EnumerateObject().Where(p => p.Name != "software"))
            settings.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? Flatten(p.Value.GetString()!) : p.Value.ToString()));
        var software = a.Settings.TryGetProperty("software", out var sw) && sw.ValueKind == JsonValueKind.String ? sw.GetString()! : SoftwareVersion;
        return new StudyReportData(study.Patient, study.StudyDate, a.Id,
            study.Files.Where(f => FileRoles.IsSequence(f.Role)).Select(f => new ReportItem(f.Role, $"{f.OriginalName}{(f.Description.Length > 0 ? " (" + f.Description + ")" : "")}, {string.Join('×', f.Size)} voxels")).ToArray(),
            figures, a.Probability ?? double.NaN, a.Threshold ?? double.NaN, a.PredictedClass ?? "", PositiveClass(model), Contributions(a), ContributionScale(a),
            Volumes(labels), ModelCard(model), settings, software, IntendedUse(model), model.Synthetic);
    }

    public static string SoftwareVersion => typeof(StudyReports).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Multi-line settings text (YAML) on one line for the report table.</summary>
    private static string Flatten(string text) => string.Join("; ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble()
        : double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
