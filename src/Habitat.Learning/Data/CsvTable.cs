using System.Globalization;
using System.Text;

namespace Habitat.Learning.Data;

/// <summary>
/// A CSV file as a header and rows of text cells (RFC 4180: comma separated, fields may be quoted, a quote inside
/// a quoted field is doubled). Every row must have as many cells as the header.
/// </summary>
public sealed class CsvTable
{
    public string Source { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    public CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
    }

    /// <summary>Index of a named column; throws <see cref="InvalidDataException"/> naming the file when absent.</summary>
    public int Column(string name)
    {
        for (int c = 0; c < Header.Count; c++)
            if (Header[c] == name) return c;
        throw new InvalidDataException($"{Source}: no column '{name}' (columns: {string.Join(", ", Header)})");
    }

    public bool HasColumn(string name) => Header.Contains(name);

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(path, reader);
    }

    public static CsvTable Parse(string source, TextReader reader)
    {
        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool inQuotes = false, cellWasQuoted = false, lineHasContent = false;
        int line = 1;
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            char c = (char)ch;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); cell.Append('"'); }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    if (cell.Length > 0 || cellWasQuoted) throw new InvalidDataException($"{source}: line {line}: stray quote inside a field");
                    inQuotes = cellWasQuoted = lineHasContent = true;
                    break;
                case ',':
                    cells.Add(cell.ToString()); cell.Clear(); cellWasQuoted = false; lineHasContent = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (lineHasContent || cell.Length > 0) { cells.Add(cell.ToString()); records.Add([.. cells]); }
                    cells.Clear(); cell.Clear(); cellWasQuoted = false; lineHasContent = false;
                    line++;
                    break;
                default:
                    cell.Append(c); lineHasContent = true;
                    break;
            }
        }
        if (inQuotes) throw new InvalidDataException($"{source}: unterminated quoted field at end of file");
        if (lineHasContent || cell.Length > 0) { cells.Add(cell.ToString()); records.Add([.. cells]); }
        if (records.Count == 0) throw new InvalidDataException($"{source}: empty file, expected a header line");
        var header = records[0].Select(h => h.Trim()).ToArray();
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"{source}: column '{duplicate.Key}' appears more than once in the header");
        for (int r = 1; r < records.Count; r++)
            if (records[r].Length != header.Length)
                throw new InvalidDataException($"{source}: data row {r} has {records[r].Length} cells, the header has {header.Length}");
        return new CsvTable(source, header, records.Skip(1).ToArray());
    }

    /// <summary>Parses a cell as an invariant-culture number; throws naming file, row and column.</summary>
    public double Number(int row, int column)
    {
        var text = Rows[row][column].Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw new InvalidDataException($"{Source}: row {row + 1}, column '{Header[column]}': '{text}' is not a number");
    }

    /// <summary>Writes CSV text atomically: a temporary file in the same folder, then a rename over the target.</summary>
    public static void WriteAtomic(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', header.Select(Quote)).Append('\n');
        foreach (var row in rows) sb.AppendJoin(',', row.Select(Quote)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    /// <summary>Invariant, round-trip text of a double.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
