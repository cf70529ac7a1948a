using System.Diagnostics;
using System.Globalization;
using System.Text;
using Habitat.Imaging;
using Habitat.Learning.Data;
using Habitat.Radiomics.Output;

namespace Habitat.Cli.Batch;

public enum BatchFormat { Csv, Parquet }

/// <summary>The named values of one case in output order, as written; an empty value carries the reason it is missing.</summary>
public sealed class CaseValues
{
    private readonly List<string> _names = [], _texts = [];
    private readonly List<(string Name, string Reason)> _missing = [];

    public IReadOnlyList<string> Names => _names;
    public IReadOnlyList<string> Texts => _texts;
    public IReadOnlyList<(string Name, string Reason)> Missing => _missing;

    public void Add(string name, string text) { _names.Add(name); _texts.Add(text); }

    /// <summary>A number, culture-invariant and round-trip.</summary>
    public void Add(string name, double value) => Add(name, value.ToString("R", CultureInfo.InvariantCulture));

    public void AddMissing(string name, string reason) { Add(name, ""); _missing.Add((name, reason)); }
}

/// <summary>
/// One case of a batch: its manifest line (output order and messages), the key cells that start its output row and
/// identify it when a run resumes, a label for the log, and the extraction (run on a worker thread).
/// </summary>
public sealed record BatchCase(int Line, IReadOnlyList<string> Key, string Label, Func<CaseValues> Extract);

/// <summary>
/// What to extract and where to: the cases, the output's leading columns (<see cref="KeyColumns"/>, then the
/// <see cref="RunColumns"/> whose value is the same for every row of a run, e.g. the settings hash), which value
/// columns Parquet stores as text (the leading ones always are), and the output and errors files.
/// </summary>
public sealed record BatchPlan(IReadOnlyList<BatchCase> Cases, IReadOnlyList<string> KeyColumns, string OutPath, BatchFormat Format, string ErrorsPath)
{
    public IReadOnlyList<KeyValuePair<string, string>> RunColumns { get; init; } = [];
    public Func<string, bool> IsTextColumn { get; init; } = _ => false;

    /// <summary>The text of the settings (or parameter file) the run extracts with and where its copy goes, next to the
    /// output. The copy is written once the run has accepted the output; resuming an output whose copy holds other
    /// settings is refused.</summary>
    public (string CopyPath, string Text)? Settings { get; init; }

    /// <summary>Whether single values can be missing (the errors file then has a <c>feature</c> column).</summary>
    public bool RecordsMissingValues { get; init; }

    /// <summary>The CSV rows: the output itself, or with Parquet the journal the Parquet file is written from.</summary>
    public string Journal => Format == BatchFormat.Csv ? OutPath : OutPath + ".rows.csv";

    public IReadOnlyList<string> LeadingColumns => [.. KeyColumns, .. RunColumns.Select(c => c.Key)];
}

/// <summary>What a batch run did.</summary>
public sealed record BatchSummary(int Total, int Skipped, int Succeeded, int Failed, bool Cancelled)
{
    public string Describe(string noun) =>
        $"{Succeeded} {noun} extracted" + (Skipped > 0 ? $", {Skipped} skipped (already done)" : "") + (Failed > 0 ? $", {Failed} failed" : "")
        + $" of {Total}" + (Cancelled ? "; cancelled (run the same command again to resume)" : "");
}

/// <summary>
/// The one batch engine of <c>habitat extract --manifest</c> (PyRadiomics parameters or habitat settings). Rows are
/// appended to the journal in manifest order, each as one flushed write of a whole line; a torn last line left by a
/// killed process is cut off when the run resumes, and cases already in the output are skipped (a row whose run
/// columns differ, e.g. another settings hash, stops the run with an error instead). A failing case (unreadable file,
/// empty ROI, geometry mismatch, …) is recorded in the errors file and the run goes on; so are the reasons for single
/// missing values. The errors file is a journal too: each case's lines are appended in one flushed write before its
/// row, and every run ends by rewriting it atomically in manifest order. The settings text is copied next to the
/// output, and resuming with other settings is refused. With Parquet the Parquet file is written from
/// the journal, atomically, at the end. Memory holds at most one window of <c>2 × jobs</c> cases.
/// </summary>
public sealed class BatchExtraction(int jobs, TextWriter log, bool interactive)
{
    public BatchSummary Run(BatchPlan plan, CancellationToken cancel = default)
    {
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in plan.Cases) lineOf.TryAdd(KeyOf(c.Key), c.Line);
        var header = RecoverJournal(plan, out var done);
        if (plan.Settings is { } settings) AcceptSettings(plan, settings.CopyPath, settings.Text, resuming: header is not null);
        var errors = new ErrorsJournal(plan, lineOf);
        errors.Rewrite(keep: done.Contains);
        var pending = plan.Cases.Where(c => !done.Contains(KeyOf(c.Key))).ToList();
        int skipped = plan.Cases.Count - pending.Count;
        if (skipped > 0) log.WriteLine($"resuming: {skipped} of {plan.Cases.Count} cases already in {plan.Journal}");

        int succeeded = 0, failed = 0, processed = 0;
        var clock = Stopwatch.StartNew();
        bool cancelled = false;
        using (var output = new FileStream(plan.Journal, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            int window = Math.Max(1, 2 * jobs);
            for (int start = 0; start < pending.Count && !cancelled; start += window)
            {
                if (cancel.IsCancellationRequested) { cancelled = true; break; }
                var chunk = pending.GetRange(start, Math.Min(window, pending.Count - start));
                var results = new (CaseValues? Values, string? Error)[chunk.Count];
                Parallel.For(0, chunk.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
                {
                    if (!cancel.IsCancellationRequested) results[i] = ExtractOne(chunk[i]);
                });
                for (int i = 0; i < chunk.Count; i++)
                {
                    var (values, error) = results[i];
                    if (values is null && error is null) { cancelled = true; break; } // not started: cancelled
                    processed++;
                    if (values is not null)
                    {
                        header ??= WriteHeader(output, plan, values);
                        error = ColumnMismatch(plan, header, values);
                    }
                    var c = chunk[i];
                    if (error is null)
                    {
                        errors.Append(c, values!.Missing.Select(m => (m.Name, m.Reason)));
                        WriteLine(output, CsvText.Line([.. c.Key, .. plan.RunColumns.Select(r => r.Value), .. values.Texts]));
                        succeeded++;
                    }
                    else
                    {
                        errors.Append(c, [("", error)]);
                        failed++;
                    }
                    Report(c, error, values, processed, pending.Count, clock);
                }
            }
        }
        if (interactive) log.WriteLine();
        errors.Rewrite(keep: _ => true);
        if (plan.Format == BatchFormat.Parquet && !cancelled)
            ParquetOutput.Write(plan.Journal, plan.OutPath, plan.LeadingColumns.Count, plan.IsTextColumn);
        return new BatchSummary(plan.Cases.Count, skipped, succeeded, failed, cancelled);
    }

    internal static string KeyOf(IEnumerable<string> key) => string.Join('\u001f', key);

    private static (CaseValues?, string?) ExtractOne(BatchCase c)
    {
        try { return (c.Extract(), null); }
        catch (Exception e) when (e is ImageFormatException or GeometryMismatchException or IOException or UnauthorizedAccessException
                                   or InvalidOperationException or ArgumentException or InvalidDataException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>A row must have the output's columns: anything else means the settings changed (or depend on the data).</summary>
    private static string? ColumnMismatch(BatchPlan plan, List<string> header, CaseValues values)
    {
        int leading = plan.LeadingColumns.Count;
        var names = values.Names;
        if (names.Count == header.Count - leading && names.SequenceEqual(header.Skip(leading))) return null;
        int at = 0;
        while (at < names.Count && leading + at < header.Count && names[at] == header[leading + at]) at++;
        string expected = leading + at < header.Count ? $"'{header[leading + at]}'" : "no column";
        string found = at < names.Count ? $"'{names[at]}'" : "no column";
        return $"its columns differ from those of {plan.Journal} (column {leading + at + 1}: {expected} there, {found} here); " +
               "were the settings changed? Remove the output or choose another --out";
    }

    private void Report(BatchCase c, string? error, CaseValues? values, int done, int total, Stopwatch clock)
    {
        double rate = done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds((total - done) / Math.Max(rate, 1e-9));
        if (interactive)
        {
            if (error is not null) log.Write($"\r\u001b[Kfailed: {c.Label}: {error}\n");
            log.Write($"\r\u001b[K{done}/{total} cases  {rate:F1} cases/s  ETA {eta:hh\\:mm\\:ss}");
        }
        else
            log.WriteLine(error is null
                ? FormattableString.Invariant($"[{done}/{total}] {c.Label}: ok, {values!.Names.Count} values ({values.Missing.Count} missing; {rate:F2} cases/s, ETA {eta:hh\\:mm\\:ss})")
                : $"[{done}/{total}] {c.Label}: FAILED: {error}");
    }

    /// <summary>Reads the journal's header and the keys of its complete rows; cuts off a torn last line.</summary>
    private static List<string>? RecoverJournal(BatchPlan plan, out HashSet<string> done)
    {
        done = new HashSet<string>(StringComparer.Ordinal);
        var journal = plan.Journal;
        if (!File.Exists(journal)) return null;
        CutTornLine(journal);
        using var reader = new StreamReader(journal, Encoding.UTF8);
        if (reader.ReadLine() is not { } headerLine) return null;
        var header = CsvText.Split(headerLine.TrimEnd('\r'));
        var leading = plan.LeadingColumns;
        if (!header.Take(leading.Count).SequenceEqual(leading))
            throw new ImageFormatException(journal, $"the existing output does not start with the columns {string.Join(",", leading)}; remove it or choose another --out");
        int keys = plan.KeyColumns.Count;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            var fields = CsvText.Split(line.TrimEnd('\r'));
            if (fields.Count != header.Count) continue;
            for (int r = 0; r < plan.RunColumns.Count; r++)
                if (fields[keys + r] != plan.RunColumns[r].Value)
                    throw new ImageFormatException(journal, $"cannot resume: case '{string.Join(",", fields.Take(keys))}' was extracted with another " +
                        $"{plan.RunColumns[r].Key} ({fields[keys + r]}, now {plan.RunColumns[r].Value}); remove the output or choose another --out");
            done.Add(KeyOf(fields.Take(keys)));
        }
        return header;
    }

    private static void AcceptSettings(BatchPlan plan, string copyPath, string text, bool resuming)
    {
        if (resuming && File.Exists(copyPath) && SettingsHash.Of(File.ReadAllText(copyPath)) != SettingsHash.Of(text))
            throw new ImageFormatException(plan.Journal, $"cannot resume: it was extracted with the settings in {copyPath}, which differ from " +
                                                         "the ones given now; remove the output or choose another --out");
        FeatureCsv.WriteTextAtomically(copyPath, text);
    }

    /// <summary>Truncates the file after its last line break (a process killed mid-write leaves part of a line).</summary>
    internal static void CutTornLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var buffer = new byte[4096];
        long end = stream.Length;
        while (end > 0)
        {
            int count = (int)Math.Min(buffer.Length, end);
            stream.Position = end - count;
            stream.ReadExactly(buffer, 0, count);
            int newline = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (newline >= 0) { end -= count - newline - 1; break; }
            end -= count;
        }
        if (end < stream.Length) stream.SetLength(end);
    }

    private static List<string> WriteHeader(FileStream output, BatchPlan plan, CaseValues first)
    {
        List<string> header = [.. plan.LeadingColumns, .. first.Names];
        WriteLine(output, CsvText.Line(header));
        return header;
    }

    /// <summary>One write of the whole text, flushed to disk, so a killed run leaves at most a torn last line (cut on resume).</summary>
    internal static void WriteLine(FileStream output, string lines)
    {
        output.Write(Encoding.UTF8.GetBytes(lines.EndsWith('\n') ? lines : lines + "\n"));
        output.Flush(flushToDisk: true);
    }
}
