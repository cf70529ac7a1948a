using System.Text;

namespace Habitat.Cli.Batch;

/// <summary>CSV fields as RFC 4180 writes them: quoted when they hold a comma, quote or line break.</summary>
internal static class CsvText
{
    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote));

    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <summary>Splits one CSV line (quoted fields may hold commas and doubled quotes; not line breaks).</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
