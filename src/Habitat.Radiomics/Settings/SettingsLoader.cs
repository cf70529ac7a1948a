using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Maps;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Habitat.Radiomics.Settings;

/// <summary>
/// Reads <see cref="IbsiSettings"/> from YAML or JSON (JSON is read as YAML, of which it is a subset) and validates
/// it: an unknown key is an error listing the valid keys, an invalid value is an error naming the key and the value.
/// Errors are <see cref="ImageFormatException"/>s naming the file.
/// </summary>
public static class SettingsLoader
{
    public static IbsiSettings Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot read the settings file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses settings text; <paramref name="source"/> names it in errors.</summary>
    public static IbsiSettings Parse(string text, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new ImageFormatException(source, $"not valid YAML/JSON: {e.Message}", e); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ImageFormatException(source, "settings must be a mapping of keys to values");
        try { return Read(new Section(root, "")); }
        catch (SettingsError e) { throw new ImageFormatException(source, e.Message); }
    }

    private static IbsiSettings Read(Section root)
    {
        root.Allow("round_on_load", "interpolation", "resegmentation", "discretisation", "ivh", "texture", "families", "collage", "habitat");
        var settings = new IbsiSettings
        {
            RoundOnLoad = root.Bool("round_on_load") ?? false,
            Interpolation = root.Child("interpolation") is { } interpolation ? ReadInterpolation(interpolation) : null,
            Resegmentation = root.Child("resegmentation") is { } reseg ? ReadResegmentation(reseg) : new ResegmentationSettings(),
            Discretisation = root.Child("discretisation") is { } disc ? ReadDiscretisation(disc) : new IbsiSettings().Discretisation,
            Ivh = root.Child("ivh") is { } ivh ? ReadIvh(ivh) : new IbsiSettings().Ivh,
            Texture = root.Child("texture") is { } texture ? ReadTexture(texture) : TextureSettings.Default,
            Families = root.Strings("families", FeatureFamilies.All) ?? FeatureFamilies.All,
            Collage = root.Child("collage") is { } collage ? ReadCollage(collage) : null,
            Habitat = root.Child("habitat") is { } habitat ? ReadHabitat(habitat) : null,
        };
        return settings;
    }

    private static InterpolationSettings ReadInterpolation(Section s)
    {
        s.Allow("spacing_mm", "in_plane_only", "image_method", "round_intensities", "mask_method", "partial_volume_threshold");
        bool inPlane = s.Bool("in_plane_only") ?? false;
        var spacing = s.Numbers("spacing_mm") ?? throw s.Missing("spacing_mm");
        int expected = inPlane ? 2 : 3;
        if (spacing.Count != expected || spacing.Any(v => !(v > 0) || !double.IsFinite(v)))
            throw new SettingsError($"{s.PathOf("spacing_mm")} must be {expected} positive numbers (x, y{(inPlane ? "" : ", z")}) " +
                                    $"{(inPlane ? "when in_plane_only is true" : "")}, got [{string.Join(", ", spacing.Select(Format))}]");
        double threshold = s.Number("partial_volume_threshold") ?? 0.5;
        if (!(threshold > 0 && threshold <= 1))
            throw new SettingsError($"{s.PathOf("partial_volume_threshold")} must be in (0, 1], got {Format(threshold)}");
        return new InterpolationSettings(spacing, inPlane,
            s.Enum("image_method", Methods) ?? InterpolationMethod.Linear,
            s.Bool("round_intensities") ?? false,
            s.Enum("mask_method", Methods) ?? InterpolationMethod.Linear,
            threshold);
    }

    private static readonly Dictionary<string, InterpolationMethod> Methods = new()
    {
        ["nearest"] = InterpolationMethod.Nearest,
        ["linear"] = InterpolationMethod.Linear,
        ["cubic_spline"] = InterpolationMethod.CubicSpline,
    };

    private static ResegmentationSettings ReadResegmentation(Section s)
    {
        s.Allow("range", "outlier_sigma");
        double? min = null, max = null;
        if (s.Has("range"))
        {
            var range = s.OptionalNumbers("range");
            if (range.Count != 2) throw new SettingsError($"{s.PathOf("range")} must be [min, max] (either may be null)");
            (min, max) = (range[0], range[1]);
            if (min is { } lo && max is { } hi && !(lo <= hi))
                throw new SettingsError($"{s.PathOf("range")} has min {Format(lo)} above max {Format(hi)}");
        }
        double? sigma = s.Number("outlier_sigma");
        if (sigma is { } v && !(v > 0 && double.IsFinite(v)))
            throw new SettingsError($"{s.PathOf("outlier_sigma")} must be a positive number, got {Format(v)}");
        return new ResegmentationSettings(min, max, sigma);
    }

    private static DiscretisationSettings ReadDiscretisation(Section s)
    {
        s.Allow("method", "bin_width", "bin_count");
        var method = s.Enum("method", new Dictionary<string, DiscretisationMethod>
        {
            ["fixed_bin_number"] = DiscretisationMethod.FixedBinNumber,
            ["fixed_bin_size"] = DiscretisationMethod.FixedBinSize,
        }) ?? throw s.Missing("method");
        return method == DiscretisationMethod.FixedBinSize
            ? new DiscretisationSettings(method, PositiveWidth(s), null)
            : new DiscretisationSettings(method, null, PositiveCount(s));
    }

    private static IvhSettings ReadIvh(Section s)
    {
        s.Allow("method", "bin_width", "bin_count");
        var method = s.Enum("method", new Dictionary<string, IvhMethod>
        {
            ["none"] = IvhMethod.None,
            ["fixed_bin_size"] = IvhMethod.FixedBinSize,
            ["fixed_bin_number"] = IvhMethod.FixedBinNumber,
        }) ?? IvhMethod.None;
        return method switch
        {
            IvhMethod.FixedBinSize => new IvhSettings(method, PositiveWidth(s), null),
            IvhMethod.FixedBinNumber => new IvhSettings(method, null, PositiveCount(s)),
            _ => new IvhSettings(method, null, null),
        };
    }

    private static double PositiveWidth(Section s)
    {
        double w = s.Number("bin_width") ?? throw s.Missing("bin_width");
        if (!(w > 0 && double.IsFinite(w))) throw new SettingsError($"{s.PathOf("bin_width")} must be a positive number, got {Format(w)}");
        return w;
    }

    private static int PositiveCount(Section s)
    {
        double n = s.Number("bin_count") ?? throw s.Missing("bin_count");
        if (!(n >= 1 && n == Math.Floor(n) && n <= 1 << 20))
            throw new SettingsError($"{s.PathOf("bin_count")} must be a whole number from 1 to {1 << 20}, got {Format(n)}");
        return (int)n;
    }

    private static TextureSettings ReadTexture(Section s)
    {
        s.Allow("distance", "aggregations", "ngldm_coarseness");
        double distance = s.Number("distance") ?? 1;
        if (!(distance >= 1 && distance == Math.Floor(distance) && distance <= TextureOptions.MaxDistance))
            throw new SettingsError($"{s.PathOf("distance")} must be a whole number from 1 to {TextureOptions.MaxDistance}, got {Format(distance)}");
        double alpha = s.Number("ngldm_coarseness") ?? 0;
        if (!(alpha >= 0 && alpha == Math.Floor(alpha) && alpha <= 1000))
            throw new SettingsError($"{s.PathOf("ngldm_coarseness")} must be a whole number >= 0, got {Format(alpha)}");
        var aggregations = s.Strings("aggregations", FeatureFamilies.Aggregations) ?? [];
        return new TextureSettings((int)distance, aggregations, (int)alpha);
    }

    private static CollageSettings ReadCollage(Section s)
    {
        s.Allow("orientation_radius", "cooccurrence_radius", "bins", "dimension", "binning");
        int Whole(string key, int fallback, int min, int max)
        {
            double v = s.Number(key) ?? fallback;
            if (!(v >= min && v <= max && v == Math.Floor(v)))
                throw new SettingsError($"{s.PathOf(key)} must be a whole number from {min} to {max}, got {Format(v)}");
            return (int)v;
        }
        return new CollageSettings
        {
            OrientationRadius = Whole("orientation_radius", 2, 1, 10),
            CooccurrenceRadius = Whole("cooccurrence_radius", 2, 1, 10),
            Bins = Whole("bins", 64, 2, 256),
            Dimension = s.Enum("dimension", new Dictionary<string, CollageDimension> { ["2D"] = CollageDimension.TwoD, ["3D"] = CollageDimension.ThreeD })
                        ?? CollageDimension.ThreeD,
            Binning = s.Enum("binning", new Dictionary<string, OrientationBinning> { ["case_range"] = OrientationBinning.CaseRange, ["fixed_range"] = OrientationBinning.FixedRange })
                      ?? OrientationBinning.CaseRange,
        };
    }

    private static HabitatSettings ReadHabitat(Section s)
    {
        s.Allow("sequences", "optional_sequences", "labels", "shell_widths_mm", "normalisation", "nyul_landmarks", "resample_to_t1c", "curvature", "shape");
        var defaults = new HabitatSettings();
        var sequences = s.Names("sequences") ?? defaults.Sequences;
        if (sequences.Count == 0) throw new SettingsError($"'{s.PathOf("sequences")}' must name at least one sequence");
        var optional = s.Names("optional_sequences") ?? [];
        if (sequences.Intersect(optional, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } both)
            throw new SettingsError($"'{both}' is listed both in '{s.PathOf("sequences")}' and '{s.PathOf("optional_sequences")}'");
        var widths = s.Numbers("shell_widths_mm") ?? defaults.ShellWidthsMm;
        if (widths.Any(w => !(w > 0))) throw new SettingsError($"'{s.PathOf("shell_widths_mm")}' must hold positive widths in mm");
        var method = s.Enum("normalisation", new Dictionary<string, NormalisationMethod>
        {
            ["zscore_brain"] = NormalisationMethod.ZScoreBrain,
            ["zscore_normal_appearing"] = NormalisationMethod.ZScoreNormalAppearing,
            ["whitestripe"] = NormalisationMethod.WhiteStripe,
            ["nyul"] = NormalisationMethod.Nyul,
            ["none"] = NormalisationMethod.None,
        }) ?? defaults.Normalisation;
        var landmarks = s.Text("nyul_landmarks");
        if (method == NormalisationMethod.Nyul && landmarks is null)
            throw new SettingsError($"'{s.PathOf("normalisation")}: nyul' needs '{s.PathOf("nyul_landmarks")}' (a landmarks file written by 'habitat nyul-train --manifest studies.csv --settings S --out landmarks.json')");
        var curvature = defaults.Curvature;
        if (s.Child("curvature") is { } c)
        {
            c.Allow("smoothing_sigma_voxels", "neighbourhood_radius_mm");
            curvature = new CurvatureSettings(c.Number("smoothing_sigma_voxels") ?? curvature.SmoothingSigmaVoxels,
                                              c.Number("neighbourhood_radius_mm") ?? curvature.NeighbourhoodRadiusMm);
            if (!(curvature.SmoothingSigmaVoxels > 0) || !double.IsFinite(curvature.SmoothingSigmaVoxels))
                throw new SettingsError($"'{c.PathOf("smoothing_sigma_voxels")}' must be a positive number of voxels (curvatures need a smoothed surface)");
            if (!(curvature.NeighbourhoodRadiusMm > 0) || !double.IsFinite(curvature.NeighbourhoodRadiusMm))
                throw new SettingsError($"'{c.PathOf("neighbourhood_radius_mm")}' must be a positive number of mm");
        }
        var labels = LabelMapping.BraTS;
        if (s.Child("labels") is { } l)
        {
            l.Allow("enhancing", "necrotic_core", "oedema", "ventricles");
            IReadOnlyList<int> Labels(string key, IReadOnlyList<int> fallback) =>
                l.Numbers(key) is { } values
                    ? values.Select(v => v == Math.Round(v) && v > 0 ? (int)v : throw new SettingsError($"'{l.PathOf(key)}' must hold positive integer labels")).ToArray()
                    : fallback;
            labels = new LabelMapping(Labels("enhancing", labels.Enhancing), Labels("necrotic_core", labels.NecroticCore),
                                      Labels("oedema", labels.Oedema), Labels("ventricles", labels.Ventricles));
            var all = labels.Enhancing.Concat(labels.NecroticCore).Concat(labels.Oedema).Concat(labels.Ventricles).ToArray();
            if (all.Distinct().Count() != all.Length) throw new SettingsError($"'{l.PathOf("")}' gives one label to two compartments");
        }
        return new HabitatSettings
        {
            Sequences = sequences, OptionalSequences = optional, ShellWidthsMm = widths, Normalisation = method,
            NyulLandmarks = landmarks, ResampleToT1c = s.Bool("resample_to_t1c") ?? false, Curvature = curvature, Labels = labels,
            Shape = s.Bool("shape") ?? true,
        };
    }

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);

    internal sealed class SettingsError(string message) : Exception(message);

    /// <summary>A mapping node with the dotted path leading to it, for error messages.</summary>
    /// <summary>One mapping of a settings file; every accessor names the key path in its errors.</summary>
    internal sealed class Section(YamlMappingNode node, string path)
    {
        private readonly Dictionary<string, YamlNode> _values = Index(node, path);

        private static Dictionary<string, YamlNode> Index(YamlMappingNode node, string path)
        {
            var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in node.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? throw new SettingsError($"keys under '{path}' must be plain names");
                if (!values.TryAdd(name, value)) throw new SettingsError($"key '{Join(path, name)}' appears twice");
            }
            return values;
        }

        public string PathOf(string key) => Join(path, key);
        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        public SettingsError Missing(string key) => new($"missing required key '{PathOf(key)}'");

        public void Allow(params string[] valid)
        {
            foreach (var key in _values.Keys)
                if (Array.IndexOf(valid, key) < 0)
                    throw new SettingsError($"unknown key '{PathOf(key)}'; valid keys{(path.Length == 0 ? "" : $" under '{path}'")}: {string.Join(", ", valid)}");
        }

        public bool Has(string key) => _values.TryGetValue(key, out var v) && !IsNull(v);

        public IEnumerable<string> Keys => _values.Keys;

        public static bool IsNull(YamlNode n) => n is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

        public Section? Child(string key)
        {
            if (!_values.TryGetValue(key, out var v) || IsNull(v)) return null;
            return v is YamlMappingNode m ? new Section(m, PathOf(key)) : throw new SettingsError($"'{PathOf(key)}' must be a mapping of keys to values");
        }

        public string? Scalar(string key)
        {
            if (!_values.TryGetValue(key, out var v) || IsNull(v)) return null;
            return v is YamlScalarNode s ? s.Value : throw new SettingsError($"'{PathOf(key)}' must be a single value");
        }

        public bool? Bool(string key) => Scalar(key) switch
        {
            null => null,
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            var other => throw new SettingsError($"'{PathOf(key)}' must be true or false, got '{other}'"),
        };

        public double? Number(string key) => Scalar(key) is { } text ? ParseNumber(text, PathOf(key)) : null;

        private static double ParseNumber(string text, string where) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v : throw new SettingsError($"'{where}' must be a number, got '{text}'");

        private YamlSequenceNode? Sequence(string key)
        {
            if (!_values.TryGetValue(key, out var v) || IsNull(v)) return null;
            return v as YamlSequenceNode ?? throw new SettingsError($"'{PathOf(key)}' must be a list");
        }

        public IReadOnlyList<double>? Numbers(string key)
        {
            var seq = Sequence(key);
            if (seq is null) return null;
            var list = new List<double>();
            foreach (var item in seq)
                list.Add(item is YamlScalarNode { Value: { } t } && !IsNull(item) ? ParseNumber(t, PathOf(key)) : throw new SettingsError($"'{PathOf(key)}' must hold numbers"));
            return list;
        }

        public IReadOnlyList<double?> OptionalNumbers(string key)
        {
            var list = new List<double?>();
            foreach (var item in Sequence(key) ?? [])
                list.Add(IsNull(item) ? null : item is YamlScalarNode { Value: { } t } ? ParseNumber(t, PathOf(key)) : throw new SettingsError($"'{PathOf(key)}' must hold numbers or null"));
            return list;
        }

        public IReadOnlyList<string>? Strings(string key, IReadOnlyList<string> valid)
        {
            var seq = Sequence(key);
            if (seq is null) return null;
            var list = new List<string>();
            foreach (var item in seq)
            {
                var value = (item as YamlScalarNode)?.Value ?? throw new SettingsError($"'{PathOf(key)}' must hold names");
                if (!valid.Contains(value))
                    throw new SettingsError($"'{PathOf(key)}' holds unknown value '{value}'; valid values: {string.Join(", ", valid.Select(v => $"'{v}'"))}");
                if (list.Contains(value)) throw new SettingsError($"'{PathOf(key)}' lists '{value}' twice");
                list.Add(value);
            }
            return list;
        }

        public string? Text(string key) => Scalar(key);

        /// <summary>A list of free names (each distinct, case-insensitively).</summary>
        public IReadOnlyList<string>? Names(string key)
        {
            var seq = Sequence(key);
            if (seq is null) return null;
            var list = new List<string>();
            foreach (var item in seq)
            {
                var value = (item as YamlScalarNode)?.Value;
                if (string.IsNullOrWhiteSpace(value) || value.Contains('.') || value.Contains(','))
                    throw new SettingsError($"'{PathOf(key)}' must hold names without dots or commas");
                if (list.Contains(value, StringComparer.OrdinalIgnoreCase)) throw new SettingsError($"'{PathOf(key)}' lists '{value}' twice");
                list.Add(value);
            }
            return list;
        }

        public T? Enum<T>(string key, Dictionary<string, T> names) where T : struct
        {
            var text = Scalar(key);
            if (text is null) return null;
            return names.TryGetValue(text, out var v) ? v
                : throw new SettingsError($"'{PathOf(key)}' must be one of {string.Join(", ", names.Keys)}, got '{text}'");
        }
    }
}
