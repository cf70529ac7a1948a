using Habitat.Imaging;

namespace Habitat.Cli.Batch;

/// <summary>One row of a PyRadiomics batch manifest: image, mask, optional label, and every column as written.</summary>
internal sealed record ManifestCase(int Row, string Image, string Mask, int? Label, IReadOnlyList<string> Values)
{
    /// <summary>Identifies the case in the output (for resuming): the manifest row as written.</summary>
    public string Key => KeyOf(Values);

    public static string KeyOf(IEnumerable<string> manifestValues) => string.Join('\u001f', manifestValues);
}

/// <summary>
/// A PyRadiomics batch manifest (CSV with the columns <c>Image</c>, <c>Mask</c>, optional <c>Label</c>, and any other
/// columns, which are carried into the output). Relative paths are taken relative to the manifest's folder.
/// </summary>
internal sealed record Manifest(string Path, IReadOnlyList<string> Columns, IReadOnlyList<ManifestCase> Cases)
{
    public static Manifest Read(string path)
    {
        if (!File.Exists(path)) throw new ImageFormatException(path, "manifest file not found");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() is { } h ? CsvText.Split(h.TrimStart('\uFEFF')) : throw new ImageFormatException(path, "the manifest is empty");
        int image = header.IndexOf("Image"), mask = header.IndexOf("Mask"), label = header.IndexOf("Label");
        if (image < 0 || mask < 0)
            throw new ImageFormatException(path, $"the manifest needs the columns Image and Mask (found: {string.Join(", ", header)})");
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var cases = new List<ManifestCase>();
        int row = 1;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            row++;
            if (line.Trim().Length == 0) continue;
            var fields = CsvText.Split(line);
            if (fields.Count != header.Count)
                throw new ImageFormatException(path, $"row {row} has {fields.Count} fields, the header {header.Count}");
            int? caseLabel = null;
            if (label >= 0 && fields[label].Trim().Length > 0)
                caseLabel = int.TryParse(fields[label], out var l) && l > 0 ? l
                    : throw new ImageFormatException(path, $"row {row}: Label must be a positive integer, got '{fields[label]}'");
            cases.Add(new ManifestCase(row, Resolve(folder, fields[image]), Resolve(folder, fields[mask]), caseLabel, fields));
        }
        return new Manifest(path, header, cases);
    }

    private static string Resolve(string folder, string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, path));
}
