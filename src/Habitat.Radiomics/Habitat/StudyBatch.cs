using System.Diagnostics;
using System.Globalization;
using System.Text;
using Habitat.Imaging;
using Habitat.Radiomics.Output;

namespace Habitat.Radiomics.Habitat;

/// <summary>
/// The study-level feature table: wide CSV, one row per study, columns <c>id</c>, <c>settings_hash</c>, then the
/// features in extraction order; a missing value is an empty cell whose reason is in the sidecar
/// <c>&lt;name&gt;.errors.csv</c> (<c>id,feature,reason</c>; an empty feature means the whole study failed).
/// </summary>
public sealed class StudyTable
{
    public const string IdColumn = "id", SettingsHashColumn = "settings_hash";
    private readonly string _settingsHash;
    private readonly List<(string Id, string Line)> _rows = [];
    private readonly List<(string Id, string Feature, string Reason)> _errors = [];
    private string[]? _features;

    public StudyTable(string settingsHash) => _settingsHash = settingsHash;

    public IReadOnlyCollection<string> Ids => _rows.Select(r => r.Id).ToArray();

    public static string ErrorsPath(string tablePath) => Path.ChangeExtension(tablePath, null) + ".errors.csv";

    /// <summary>The rows of an earlier run with the same settings (for resuming); failed studies are not kept, so they are retried.</summary>
    public static StudyTable Resume(string tablePath, string settingsHash)
    {
        var table = new StudyTable(settingsHash);
        if (!File.Exists(tablePath)) return table;
        var lines = File.ReadAllLines(tablePath);
        if (lines.Length == 0) return table;
        var header = lines[0].Split(',');
        if (header.Length < 2 || header[0] != IdColumn || header[1] != SettingsHashColumn)
            throw new ImageFormatException(tablePath, $"cannot resume: not a study feature table (header must start with {IdColumn},{SettingsHashColumn})");
        table._features = header[2..];
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',', 3);
            if (cells.Length < 2) continue;
            if (cells[1] != settingsHash)
                throw new ImageFormatException(tablePath, $"cannot resume: study '{cells[0]}' was extracted with other settings (settings_hash {cells[1]}, now {settingsHash})");
            table._rows.Add((cells[0], line));
        }
        var kept = table._rows.Select(r => r.Id).ToHashSet();
        var errorsPath = ErrorsPath(tablePath);
        if (File.Exists(errorsPath))
            foreach (var line in File.ReadLines(errorsPath).Skip(1))
            {
                var cells = line.Split(',', 3);
                if (cells.Length == 3 && kept.Contains(cells[0])) table._errors.Add((cells[0], cells[1], Unquote(cells[2])));
            }
        return table;
    }

    public void Add(string id, FeatureRow row)
    {
        var names = row.Items.Select(i => i.Name).ToArray();
        _features ??= names;
        if (!names.SequenceEqual(_features))
            throw new InvalidOperationException($"study '{id}' gives other feature columns than the table's (the settings changed?)");
        var line = new StringBuilder(names.Length * 12);
        line.Append(id).Append(',').Append(_settingsHash);
        foreach (var (name, value, missing) in row.Items)
        {
            line.Append(',');
            if (missing is not null) _errors.Add((id, name, missing));
            else if (double.IsFinite(value)) line.Append(value.ToString("R", CultureInfo.InvariantCulture));
            else _errors.Add((id, name, "not a finite number"));
        }
        _rows.Add((id, line.ToString()));
    }

    public void AddFailure(string id, string reason) => _errors.Add((id, "", reason));

    /// <summary>Writes the table and the errors sidecar atomically.</summary>
    public void Save(string tablePath)
    {
        var table = new StringBuilder();
        table.Append(IdColumn).Append(',').Append(SettingsHashColumn);
        foreach (var f in _features ?? []) table.Append(',').Append(f);
        table.Append('\n');
        foreach (var (_, line) in _rows) table.Append(line).Append('\n');
        FeatureCsv.WriteTextAtomically(tablePath, table.ToString());
        var errors = new StringBuilder("id,feature,reason\n");
        foreach (var (id, feature, reason) in _errors) errors.Append(id).Append(',').Append(feature).Append(',').Append(Quote(reason)).Append('\n');
        FeatureCsv.WriteTextAtomically(ErrorsPath(tablePath), errors.ToString());
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"").Replace('\n', ' ') + "\"";
    private static string Unquote(string cell) => cell.Length >= 2 && cell[0] == '"' ? cell[1..^1].Replace("\"\"", "\"") : cell;
}

/// <summary>Runs <see cref="StudyExtractor"/> over studies: progress on a writer, one failed study recorded (not fatal),
/// the table saved after every study, and studies already in the table skipped when resuming.</summary>
public static class StudyBatch
{
    public sealed record Summary(int Extracted, int Skipped, int Failed);

    public static Summary Run(IReadOnlyList<StudyFiles> studies, StudyExtractor extractor, StudyTable table, string tablePath, TextWriter progress)
    {
        var done = table.Ids.ToHashSet();
        int extracted = 0, skipped = 0, failed = 0;
        for (int s = 0; s < studies.Count; s++)
        {
            var files = studies[s];
            string position = $"[{s + 1}/{studies.Count}] {files.Id}";
            if (done.Contains(files.Id)) { skipped++; progress.WriteLine($"{position}: already extracted, skipped"); continue; }
            var clock = Stopwatch.StartNew();
            try
            {
                var row = extractor.Extract(files.Load(extractor.Habitat));
                table.Add(files.Id, row);
                int missing = row.Items.Count(i => i.Missing is not null);
                extracted++;
                progress.WriteLine(FormattableString.Invariant($"{position}: {row.Items.Count} features ({missing} missing) in {clock.Elapsed.TotalSeconds:F1} s"));
            }
            catch (Exception e) when (e is ImageFormatException or GeometryMismatchException or IOException or UnauthorizedAccessException
                                         or ArgumentException or InvalidDataException or InvalidOperationException)
            {
                failed++;
                table.AddFailure(files.Id, e.Message);
                progress.WriteLine($"{position}: FAILED: {e.Message}");
            }
            table.Save(tablePath);
        }
        if (studies.Count == 0) table.Save(tablePath);
        return new Summary(extracted, skipped, failed);
    }
}
