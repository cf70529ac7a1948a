using Habitat.Imaging.IO;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Conformance;

/// <summary>An IBSI 1 reference data set: image, mask and the settings file reproducing its configuration.</summary>
public sealed record IbsiDataSet(string Name, string ImagePath, string MaskPath, string SettingsPath);

public enum CheckStatus { Pass, Fail, NotComputed, NoReference }

/// <summary>The comparison of one reference row with our value (null when we did not compute the feature).</summary>
public sealed record ConformanceCheck(ReferenceRow Row, double? Ours, CheckStatus Status);

/// <summary>Runs the IBSI 1 data sets through <see cref="IbsiExtractor"/> and compares with <c>reference_values.csv</c>.</summary>
public static class IbsiConformance
{
    /// <summary>The data sets of the reference table, in its order.</summary>
    public static readonly IReadOnlyList<string> DataSetNames =
        ["digital_phantom", "config_A", "config_B", "config_C", "config_D", "config_E"];

    /// <summary>Files of a data set: phantoms under <paramref name="referenceDir"/> (the ibsi1 folder), settings under <paramref name="settingsDir"/>.</summary>
    public static IbsiDataSet DataSet(string referenceDir, string settingsDir, string name)
    {
        if (!DataSetNames.Contains(name)) throw new ArgumentException($"unknown IBSI data set '{name}'; known: {string.Join(", ", DataSetNames)}", nameof(name));
        string phantom = name == "digital_phantom" ? "digital_phantom" : "ct_phantom";
        string settingsFile = name == "digital_phantom" ? "digital_phantom.yaml" : $"{name}.yaml";
        return new IbsiDataSet(name,
            Path.Combine(referenceDir, phantom, "image.nii.gz"),
            Path.Combine(referenceDir, phantom, "mask.nii.gz"),
            Path.Combine(settingsDir, settingsFile));
    }

    public static List<Feature> ComputeFeatures(IbsiDataSet dataSet)
    {
        var settings = SettingsLoader.Load(dataSet.SettingsPath);
        var input = ImageLoader.ReadImageAndMask(dataSet.ImagePath, dataSet.MaskPath);
        return IbsiExtractor.Extract(input.Image, input.Mask, label: null, settings, dataSet.ImagePath, dataSet.MaskPath);
    }

    /// <summary>Checks every row against the features computed for the row's data set.</summary>
    public static List<ConformanceCheck> Compare(IEnumerable<ReferenceRow> rows, IReadOnlyList<Feature> features)
    {
        var ours = new Dictionary<(string, string), double>();
        foreach (var f in features) ours[(f.Tag, f.Aggregation)] = f.Value;
        var checks = new List<ConformanceCheck>();
        foreach (var row in rows)
        {
            double? value = ours.TryGetValue((row.Tag, row.Aggregation), out var v) ? v : null;
            var status = !row.HasValue ? CheckStatus.NoReference
                : value is null ? CheckStatus.NotComputed
                : row.Accepts(value.Value) ? CheckStatus.Pass : CheckStatus.Fail;
            checks.Add(new ConformanceCheck(row, value, status));
        }
        return checks;
    }
}
