using Habitat.Imaging;
using Habitat.Learning.Data;
using Habitat.Radiomics.Habitat;

namespace Habitat.Cli.Batch;

/// <summary>
/// A habitat batch: one row per study, <c>id</c>, <c>settings_hash</c> (the same for the whole run; resuming an output
/// made with other settings is refused), then the <see cref="StudyExtractor"/> features. Missing values are empty, with
/// their reason in <c>{out stem}.errors.csv</c> (<c>id,feature,error</c>; an empty feature = the study failed).
/// </summary>
public static class StudyBatch
{
    public const string IdColumn = "id";

    private static string ErrorsPath(string outPath) => Path.ChangeExtension(outPath, null) + ".errors.csv";

    /// <summary>The settings text goes verbatim to <c>{out stem}.settings.yaml</c>, so that <c>habitat train --settings</c>
    /// with that file gives the same settings hash.</summary>
    public static BatchPlan Plan(IReadOnlyList<(int Line, StudyFiles Files)> studies, StudyExtractor extractor, string settingsText, string outPath, BatchFormat format) =>
        new(studies.Select(s => new BatchCase(s.Line, [s.Files.Id], s.Files.Id, () => Values(extractor.Extract(s.Files.Load(extractor.Habitat))))).ToArray(),
            [IdColumn], outPath, format, ErrorsPath(outPath))
        {
            RunColumns = [new(FeatureTable.SettingsHashColumn, SettingsHash.Of(settingsText))],
            Settings = (Path.ChangeExtension(outPath, null) + ".settings.yaml", settingsText),
            RecordsMissingValues = true,
        };

    private static CaseValues Values(FeatureRow row)
    {
        var values = new CaseValues();
        foreach (var (name, value, missing) in row.Items)
            if (missing is not null) values.AddMissing(name, missing);
            else if (double.IsFinite(value)) values.Add(name, value);
            else values.AddMissing(name, "not a finite number");
        return values;
    }

    /// <summary>
    /// The studies of a manifest: columns <c>id</c>, <c>habitat</c>, optional <c>brain_mask</c> and one column per
    /// sequence name (names case-insensitive); relative paths are relative to the manifest's folder; an empty cell is
    /// an absent file. Each study comes with its manifest line.
    /// </summary>
    public static IReadOnlyList<(int Line, StudyFiles Files)> ReadManifest(string manifestPath, HabitatSettings settings)
    {
        var manifest = Manifest.Read(manifestPath);
        int Column(string name) => manifest.Column(name, StringComparison.OrdinalIgnoreCase);
        int idColumn = Column(IdColumn), habitatColumn = Column("habitat"), brainColumn = Column("brain_mask");
        if (idColumn < 0 || habitatColumn < 0) throw new ImageFormatException(manifestPath, "the manifest needs the columns 'id' and 'habitat' (and one per sequence)");
        var studies = new List<(int, StudyFiles)>(manifest.Rows.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in manifest.Rows)
        {
            string? PathAt(int column) => column < 0 || row.Values[column].Trim().Length == 0 ? null : manifest.Resolve(row.Values[column].Trim());
            var id = row.Values[idColumn].Trim();
            if (id.Length == 0) throw new ImageFormatException(manifestPath, $"line {row.Line} has an empty id");
            if (!seen.Add(id)) throw new ImageFormatException(manifestPath, $"id '{id}' appears twice");
            var sequences = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in settings.AllSequences)
                if (PathAt(Column(name)) is { } p) sequences[name] = p;
            var habitat = PathAt(habitatColumn) ?? throw new ImageFormatException(manifestPath, $"study '{id}' (line {row.Line}) has no habitat file");
            studies.Add((row.Line, new StudyFiles(id, sequences, habitat, PathAt(brainColumn))));
        }
        return studies;
    }
}
