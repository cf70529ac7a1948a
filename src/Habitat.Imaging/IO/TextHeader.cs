using System.Globalization;
using System.Text;

namespace Habitat.Imaging.IO;

/// <summary>The line-oriented ASCII headers of NRRD and MetaImage: reading them and parsing their numbers.</summary>
internal static class TextHeader
{
    /// <summary>Headers longer than this are refused (real ones are a few hundred bytes to a few kilobytes).</summary>
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>
    /// Reads lines from the start of <paramref name="path"/> up to and including the line for which
    /// <paramref name="isLast"/> is true (or to the end of the file when <paramref name="endMayBeEof"/>).
    /// Returns the lines (without line endings) and the byte offset just after the last one — where attached data begins.
    /// </summary>
    public static (List<string> Lines, long DataOffset) Read(string path, Func<string, bool> isLast, bool endMayBeEof)
    {
        long fileLength = new FileInfo(path).Length;
        int window = (int)Math.Min(fileLength, MaxHeaderBytes);
        var bytes = new byte[window];
        using (var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            ImageStreams.ReadExactly(s, bytes, path, "the header");
        var lines = new List<string>();
        int start = 0;
        while (start < window)
        {
            int newline = Array.IndexOf(bytes, (byte)'\n', start);
            int end = newline < 0 ? window : newline;
            var line = Encoding.Latin1.GetString(bytes, start, end - start).TrimEnd('\r');
            lines.Add(line);
            long next = newline < 0 ? window : newline + 1;
            if (isLast(line)) return (lines, next);
            if (newline < 0) break;
            start = newline + 1;
        }
        if (endMayBeEof && fileLength <= MaxHeaderBytes) return (lines, fileLength);
        throw new ImageFormatException(path, fileLength > MaxHeaderBytes
            ? $"header is not terminated within the first {MaxHeaderBytes} bytes"
            : "header is not terminated: the file ends before the voxel data begins");
    }

    public static double Number(string text, string path, string field)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw new ImageFormatException(path, $"{field}: '{text}' is not a number");
    }

    public static long Integer(string text, string path, string field)
    {
        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        throw new ImageFormatException(path, $"{field}: '{text}' is not an integer");
    }

    /// <summary>Whitespace-separated numbers; exactly <paramref name="count"/> of them unless count is negative.</summary>
    public static double[] Numbers(string text, string path, string field, int count = -1)
    {
        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (count >= 0 && parts.Length != count)
            throw new ImageFormatException(path, $"{field}: expected {count} values, found {parts.Length} in '{text}'");
        var values = new double[parts.Length];
        for (int n = 0; n < parts.Length; n++) values[n] = Number(parts[n], path, field);
        return values;
    }

    /// <summary>A number as text that parses back to the same double.</summary>
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A relative data file name resolved against the header's folder; absolute names stay as they are.</summary>
    public static string Resolve(string headerPath, string dataFile) =>
        Path.IsPathRooted(dataFile) ? dataFile : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(headerPath)) ?? ".", dataFile);
}
