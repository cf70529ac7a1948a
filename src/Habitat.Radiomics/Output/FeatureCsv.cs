using System.Globalization;
using System.Text;

namespace Habitat.Radiomics.Output;

/// <summary>
/// The long feature table of <c>habitat extract --names ibsi</c>: header <c>ibsi_tag,ibsi_code,aggregation,value</c>,
/// one row per feature, the aggregation quoted (its labels hold commas) and empty for whole-ROI families, values in
/// invariant culture with round-trip precision. This layout is an external contract: keep it stable.
/// </summary>
public static class FeatureCsv
{
    public const string Header = "ibsi_tag,ibsi_code,aggregation,value";

    public static string Render(IEnumerable<Feature> features)
    {
        var sb = new StringBuilder();
        sb.Append(Header).Append('\n');
        foreach (var f in features)
            sb.Append(f.Tag).Append(',').Append(f.IbsiCode).Append(',')
              .Append('"').Append(f.Aggregation.Replace("\"", "\"\"")).Append('"').Append(',')
              .Append(Format(f.Value)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Shortest round-trip form; NaN and infinities as <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes the table atomically (temporary file beside the target, then moved over it).</summary>
    public static void Write(string path, IEnumerable<Feature> features) => WriteTextAtomically(path, Render(features));

    public static void WriteTextAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
