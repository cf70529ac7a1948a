using System.Globalization;
using Habitat.Imaging;

namespace Habitat.Radiomics.Conformance;

/// <summary>One row of IBSI 1's <c>reference_values.csv</c>: a feature's reference value on one data set and aggregation.</summary>
/// <param name="ValueText">The value as written (its significant digits decide the digital phantom's comparison).</param>
public sealed record ReferenceRow(
    string Family, string FeatureName, string IbsiCode, string Tag, string DataSet, string Aggregation,
    double? Value, string ValueText, double? Tolerance, string Consensus, string Note)
{
    public bool HasValue => Value is not null && Tolerance is not null;

    /// <summary>
    /// Whether <paramref name="ours"/> matches: |ours - value| ≤ tolerance; where the tolerance is 0 the manual's value is
    /// exact to the digits it gives, so ours is rounded to that many significant digits and must then equal it.
    /// </summary>
    public bool Accepts(double ours)
    {
        if (Value is not { } reference || Tolerance is not { } tolerance || !double.IsFinite(ours)) return false;
        if (tolerance > 0) return Math.Abs(ours - reference) <= tolerance;
        double rounded = RoundToSignificantDigits(ours, SignificantDigits(ValueText));
        return Math.Abs(rounded - reference) <= 1e-9 * Math.Max(1, Math.Abs(reference));
    }

    /// <summary>Digits of the mantissa without leading zeros: "0.0996" → 3, "556" → 3, "3.58e5" → 3, "-50" → 2.</summary>
    public static int SignificantDigits(string text)
    {
        var mantissa = text.Split('e', 'E')[0].TrimStart('-', '+');
        int digits = 0;
        bool leading = true;
        foreach (char c in mantissa)
        {
            if (!char.IsAsciiDigit(c)) continue;
            if (leading && c == '0') continue;
            leading = false;
            digits++;
        }
        return Math.Max(1, digits);
    }

    public static double RoundToSignificantDigits(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        int magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        int decimals = digits - 1 - magnitude;
        if (decimals >= 0 && decimals <= 15) return Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        double scale = Math.Pow(10, decimals);
        return Math.Round(value * scale, MidpointRounding.AwayFromZero) / scale;
    }
}

/// <summary>Reads <c>reference_values.csv</c> (header row, comma-separated, double-quoted fields where they hold commas).</summary>
public static class ReferenceTable
{
    private static readonly string[] Header =
        ["family", "feature_name", "ibsi_code", "ibsi_tag", "data_set", "aggregation", "value", "tolerance", "consensus", "note", "source_line"];

    public static IReadOnlyList<ReferenceRow> Load(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !ParseLine(lines[0]).SequenceEqual(Header))
            throw new ImageFormatException(path, $"expected the header {string.Join(",", Header)}");
        var rows = new List<ReferenceRow>(lines.Length);
        for (int n = 1; n < lines.Length; n++)
        {
            if (lines[n].Length == 0) continue;
            var f = ParseLine(lines[n]);
            if (f.Count != Header.Length) throw new ImageFormatException(path, $"line {n + 1} has {f.Count} fields, expected {Header.Length}");
            rows.Add(new ReferenceRow(f[0], f[1], f[2], f[3], f[4], f[5], Number(f[6], path, n), f[6], Number(f[7], path, n), f[8], f[9]));
        }
        return rows;
    }

    private static double? Number(string text, string path, int line) =>
        text.Length == 0 ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new ImageFormatException(path, $"line {line + 1}: '{text}' is not a number");

    /// <summary>Splits one CSV line (RFC 4180 quoting).</summary>
    public static List<string> ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
