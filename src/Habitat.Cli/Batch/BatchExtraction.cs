using System.Diagnostics;
using System.Globalization;
using System.Text;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Cli.Batch;

public enum BatchFormat { Csv, Parquet }

/// <summary>What a batch run did.</summary>
public sealed record BatchSummary(int Total, int Skipped, int Succeeded, int Failed, bool Cancelled);

/// <summary>
/// PyRadiomics-style batch extraction over a manifest. Rows are appended to the output in manifest order, each as one
/// flushed write of a whole line; a torn last line left by a killed process is cut off when the run resumes, and cases
/// already in the output are skipped. Failures (unreadable file, empty ROI, geometry mismatch, …) go to
/// <c>{out}.errors.csv</c> (rewritten atomically by every run) and the run goes on. With Parquet the CSV rows are the
/// journal (<c>{out}.rows.csv</c>) and the Parquet file is written from it, atomically, at the end.
/// Memory holds at most one window of <c>2 × jobs</c> cases.
/// </summary>
public sealed class BatchExtraction(PyRadiomicsParameters parameters, int jobs, TextWriter log, bool interactive)
{
    public BatchSummary Run(string manifestPath, string outPath, BatchFormat format, CancellationToken cancel = default)
    {
        var manifest = Manifest.Read(manifestPath);
        string journal = format == BatchFormat.Csv ? outPath : outPath + ".rows.csv";
        var header = RecoverJournal(journal, manifest, out var done);
        var pending = manifest.Cases.Where(c => !done.Contains(c.Key)).ToList();
        int skipped = manifest.Cases.Count - pending.Count;
        if (skipped > 0) log.WriteLine($"resuming: {skipped} of {manifest.Cases.Count} cases already in {journal}");

        var errors = new List<(ManifestCase Case, string Error)>();
        int succeeded = 0, processed = 0;
        var clock = Stopwatch.StartNew();
        bool cancelled = false;
        using (var output = new FileStream(journal, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            int window = Math.Max(1, 2 * jobs);
            for (int start = 0; start < pending.Count; start += window)
            {
                if (cancel.IsCancellationRequested) { cancelled = true; break; }
                var chunk = pending.GetRange(start, Math.Min(window, pending.Count - start));
                var results = new (PyRadiomicsResult? Result, string? Error)[chunk.Count];
                Parallel.For(0, chunk.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
                {
                    if (cancel.IsCancellationRequested) return;
                    results[i] = ExtractOne(chunk[i]);
                });
                for (int i = 0; i < chunk.Count; i++)
                {
                    var (result, error) = results[i];
                    if (result is null && error is null) { cancelled = true; break; } // not started: cancelled
                    processed++;
                    if (result is not null)
                    {
                        header ??= WriteHeader(output, manifest, result);
                        AppendRow(output, header, chunk[i], result);
                        succeeded++;
                        Report(chunk[i], null, processed, pending.Count, clock);
                    }
                    else
                    {
                        errors.Add((chunk[i], error!));
                        Report(chunk[i], error, processed, pending.Count, clock);
                    }
                }
                if (cancelled) break;
            }
        }
        if (interactive) log.WriteLine();
        WriteErrors(outPath + ".errors.csv", manifest, errors);
        if (format == BatchFormat.Parquet && !cancelled) ParquetOutput.Write(journal, outPath, manifest.Columns.Count);
        return new BatchSummary(manifest.Cases.Count, skipped, succeeded, errors.Count, cancelled);
    }

    private (PyRadiomicsResult?, string?) ExtractOne(ManifestCase c)
    {
        try
        {
            var image = ImageFile.Read(c.Image);
            var mask = ImageFile.Read(c.Mask);
            return (PyRadiomicsExtractor.Extract(image, mask, parameters, c.Label, c.Image, c.Mask), null);
        }
        catch (Exception e) when (e is ImageFormatException or GeometryMismatchException or IOException or UnauthorizedAccessException
                                   or InvalidOperationException or ArgumentException)
        {
            return (null, e.Message);
        }
    }

    private void Report(ManifestCase c, string? error, int done, int total, Stopwatch clock)
    {
        double rate = done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds((total - done) / Math.Max(rate, 1e-9));
        if (interactive)
        {
            if (error is not null) log.Write($"\r\u001b[Kfailed: row {c.Row} {c.Image}: {error}\n");
            log.Write($"\r\u001b[K{done}/{total} cases  {rate:F1} cases/s  ETA {eta:hh\\:mm\\:ss}");
        }
        else
            log.WriteLine(error is null
                ? $"[{done}/{total}] row {c.Row} {c.Image}: ok ({rate.ToString("F2", CultureInfo.InvariantCulture)} cases/s, ETA {eta:hh\\:mm\\:ss})"
                : $"[{done}/{total}] row {c.Row} {c.Image}: FAILED: {error}");
    }

    /// <summary>Reads the journal's header and the keys of its complete rows; cuts off a torn last line.</summary>
    private static List<string>? RecoverJournal(string journal, Manifest manifest, out HashSet<string> done)
    {
        done = [];
        if (!File.Exists(journal) || new FileInfo(journal).Length == 0) return null;
        var bytes = File.ReadAllBytes(journal);
        int complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (complete < bytes.Length)
            using (var stream = new FileStream(journal, FileMode.Open, FileAccess.Write)) stream.SetLength(complete);
        var lines = Encoding.UTF8.GetString(bytes, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return null;
        var header = CsvText.Split(lines[0].TrimEnd('\r'));
        if (!header.Take(manifest.Columns.Count).SequenceEqual(manifest.Columns))
            throw new ImageFormatException(journal, "the existing output does not start with the manifest's columns; remove it or choose another --out");
        foreach (var line in lines.Skip(1))
        {
            var fields = CsvText.Split(line.TrimEnd('\r'));
            if (fields.Count == header.Count) done.Add(ManifestCase.KeyOf(fields.Take(manifest.Columns.Count)));
        }
        return header;
    }

    private static List<string> WriteHeader(FileStream output, Manifest manifest, PyRadiomicsResult first)
    {
        var header = manifest.Columns.Concat(first.Diagnostics.Select(d => d.Key)).Concat(first.Features.Select(f => f.Key)).ToList();
        WriteLine(output, CsvText.Line(header));
        return header;
    }

    private static void AppendRow(FileStream output, List<string> header, ManifestCase c, PyRadiomicsResult result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in result.Diagnostics) values[k] = v;
        foreach (var (k, v) in result.Features) values[k] = v.ToString("R", CultureInfo.InvariantCulture);
        var row = new List<string>(header.Count);
        row.AddRange(c.Values);
        for (int i = c.Values.Count; i < header.Count; i++) row.Add(values.GetValueOrDefault(header[i], ""));
        WriteLine(output, CsvText.Line(row));
    }

    /// <summary>One write of the whole line, flushed to disk, so a killed run leaves at most a torn last line (cut on resume).</summary>
    private static void WriteLine(FileStream output, string line)
    {
        output.Write(Encoding.UTF8.GetBytes(line + "\n"));
        output.Flush(flushToDisk: true);
    }

    private static void WriteErrors(string path, Manifest manifest, List<(ManifestCase Case, string Error)> errors)
    {
        if (errors.Count == 0)
        {
            File.Delete(path);
            return;
        }
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
        {
            writer.Write(CsvText.Line([.. manifest.Columns, "error"]) + "\n");
            foreach (var (c, error) in errors.OrderBy(e => e.Case.Row)) writer.Write(CsvText.Line([.. c.Values, error]) + "\n");
        }
        File.Move(temp, path, overwrite: true);
    }
}
