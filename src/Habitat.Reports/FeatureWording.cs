using System.Globalization;

namespace Habitat.Reports;

/// <summary>
/// Plain-word descriptions of habitat feature names (<c>&lt;sequence&gt;.&lt;compartment&gt;.&lt;tag&gt;[.&lt;aggregation&gt;]</c>,
/// <c>shape.&lt;compartment&gt;.&lt;tag&gt;</c>, <c>habitat.&lt;ratio&gt;</c>) and of a contribution's direction, for readers who
/// do not speak IBSI.
/// </summary>
public static class FeatureWording
{
    private static readonly Dictionary<string, string> Compartments = new(StringComparer.Ordinal)
    {
        ["enhancing"] = "enhancing rim",
        ["necrotic_core"] = "necrotic core",
        ["whole_lesion"] = "whole lesion",
        ["oedema"] = "oedema",
    };

    private static readonly (string Prefix, string Words)[] Families =
    [
        ("stat_", "intensity"), ("ih_", "intensity histogram"), ("ivh_", "intensity-volume histogram"), ("loc_", "local intensity"),
        ("morph_", "shape"), ("cm_", "co-occurrence texture"), ("glcm_", "co-occurrence texture"), ("rlm_", "run-length texture"),
        ("glrlm_", "run-length texture"), ("szm_", "size-zone texture"), ("glszm_", "size-zone texture"), ("dzm_", "distance-zone texture"),
        ("gldzm_", "distance-zone texture"), ("ngt_", "neighbourhood-difference texture"), ("ngtdm_", "neighbourhood-difference texture"),
        ("ngl_", "neighbourhood-dependence texture"), ("ngldm_", "neighbourhood-dependence texture"),
    ];

    /// <summary>E.g. <c>T1c.enhancing.cm_joint_entr.3D_avg</c> → "T1c, enhancing rim: co-occurrence texture joint entr (3D avg)".</summary>
    public static string Describe(string feature)
    {
        var parts = feature.Split('.');
        if (parts.Length >= 2 && parts[0] == "habitat")
            return "habitat volumes: " + Words(string.Join(' ', parts[1..]));
        if (parts.Length < 3) return Words(feature);
        string compartment = Compartments.GetValueOrDefault(parts[1], Words(parts[1]));
        string where = parts[0] == "shape" ? $"shape of the {compartment}" : $"{parts[0]}, {compartment}";
        string tag = parts[2], family = "";
        foreach (var (prefix, words) in Families)
        {
            if (tag.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { family = words + " "; tag = tag[prefix.Length..]; break; }
            if (tag.Equals(prefix[..^1], StringComparison.OrdinalIgnoreCase)) { family = words; tag = ""; break; } // family.feature naming
        }
        if (parts[0] == "shape" && family == "shape ") family = "";
        string aggregation = parts.Length > 3 ? $" ({Words(string.Join(' ', parts[3..]))})" : "";
        return $"{where}: {(family + Words(tag)).Trim()}{aggregation}";
    }

    /// <summary>"raises" or "lowers" the probability of the positive class, with the size of the push.</summary>
    public static string Direction(double contribution, string positiveClass) => contribution >= 0
        ? $"raises the probability of {positiveClass} ({contribution.ToString("+0.000", CultureInfo.InvariantCulture)})"
        : $"lowers the probability of {positiveClass} ({contribution.ToString("0.000", CultureInfo.InvariantCulture)})";

    private static string Words(string s) => s.Replace('_', ' ').Trim();
}
