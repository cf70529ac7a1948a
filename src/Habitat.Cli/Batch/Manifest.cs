using Habitat.Imaging;

namespace Habitat.Cli.Batch;

/// <summary>One data row of a manifest: its line number in the file (for messages and output order) and its cells as written.</summary>
internal sealed record ManifestRow(int Line, IReadOnlyList<string> Values);

/// <summary>
/// A batch manifest: a CSV file with a header and one case per line (RFC 4180 quoting; blank lines skipped). What the
/// columns mean is the caller's business; relative paths in cells are taken relative to the manifest's folder.
/// </summary>
internal sealed record Manifest(string Path, IReadOnlyList<string> Columns, IReadOnlyList<ManifestRow> Rows)
{
    public static Manifest Read(string path)
    {
        if (!File.Exists(path)) throw new ImageFormatException(path, "manifest file not found");
        try
        {
            using var reader = new StreamReader(path);
            var header = reader.ReadLine() is { } h ? CsvText.Split(h.TrimStart('\uFEFF')) : throw new ImageFormatException(path, "the manifest is empty");
            var rows = new List<ManifestRow>();
            int line = 1;
            for (string? text; (text = reader.ReadLine()) is not null;)
            {
                line++;
                if (text.Trim().Length == 0) continue;
                var fields = CsvText.Split(text);
                if (fields.Count != header.Count)
                    throw new ImageFormatException(path, $"line {line} has {fields.Count} fields, the header {header.Count}");
                rows.Add(new ManifestRow(line, fields));
            }
            return new Manifest(path, header, rows);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot read the manifest: {e.Message}", e);
        }
    }

    /// <summary>The index of a column (-1 when absent), its name compared after trimming.</summary>
    public int Column(string name, StringComparison comparison = StringComparison.Ordinal)
    {
        for (int c = 0; c < Columns.Count; c++)
            if (string.Equals(Columns[c].Trim(), name, comparison)) return c;
        return -1;
    }

    /// <summary>A path cell as a full path (relative paths are relative to the manifest's folder).</summary>
    public string Resolve(string cell)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, cell));
    }
}
