using System.Globalization;
using Habitat.Imaging;
using Habitat.Radiomics.Features;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Section = Habitat.Radiomics.Settings.SettingsLoader.Section;
using SettingsError = Habitat.Radiomics.Settings.SettingsLoader.SettingsError;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>One enabled image type with its settings (the global settings overridden by the image type's own section).</summary>
public sealed record ImageTypeRequest(string Name, PyRadiomicsSettings Settings);

/// <summary>
/// A PyRadiomics parameter file (YAML or JSON): <c>setting</c>, <c>imageType</c> and <c>featureClass</c> sections.
/// Missing sections take PyRadiomics' defaults (the <c>Original</c> image type, every feature class but
/// <c>shape2D</c>). Unknown keys, image types, classes or feature names and invalid values are errors naming them
/// (<see cref="ImageFormatException"/> naming the file).
/// </summary>
public sealed record PyRadiomicsParameters(
    PyRadiomicsSettings Settings,
    IReadOnlyList<ImageTypeRequest> ImageTypes,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> FeatureClasses)
{
    /// <summary>PyRadiomics' defaults: Original image, all classes but shape2D, default settings.</summary>
    public static PyRadiomicsParameters Default { get; } = new(new PyRadiomicsSettings(),
        [new ImageTypeRequest("Original", new PyRadiomicsSettings())],
        [.. PyFeatureNames.Classes.Where(c => c.Key != "shape2D").Select(c => new KeyValuePair<string, IReadOnlyList<string>>(c.Key, c.Value))]);

    internal static readonly Dictionary<string, WeightingNorm> WeightingNames = new()
    {
        ["manhattan"] = WeightingNorm.Manhattan, ["euclidean"] = WeightingNorm.Euclidean,
        ["infinity"] = WeightingNorm.Infinity, ["no_weighting"] = WeightingNorm.NoWeighting,
    };

    private static readonly Dictionary<string, PyInterpolator> InterpolatorNames = new()
    {
        ["sitkBSpline"] = PyInterpolator.BSpline, ["sitkLinear"] = PyInterpolator.Linear,
        ["sitkNearestNeighbor"] = PyInterpolator.NearestNeighbor,
        // SimpleITK's enum values, which PyRadiomics also accepts
        ["3"] = PyInterpolator.BSpline, ["2"] = PyInterpolator.Linear, ["1"] = PyInterpolator.NearestNeighbor,
    };

    private static readonly Dictionary<string, ResegmentMode> ResegmentModes = new()
    {
        ["absolute"] = ResegmentMode.Absolute, ["relative"] = ResegmentMode.Relative, ["sigma"] = ResegmentMode.Sigma,
    };

    private static readonly string[] SettingKeys =
    [
        "minimumROIDimensions", "minimumROISize", "normalize", "normalizeScale", "removeOutliers", "resampledPixelSpacing",
        "interpolator", "preCrop", "padDistance", "distances", "force2D", "force2Ddimension", "resegmentRange",
        "resegmentMode", "resegmentShape", "label", "label_channel", "additionalInfo", "binWidth", "binCount",
        "voxelArrayShift", "symmetricalGLCM", "weightingNorm", "gldm_a", "geometryTolerance", "correctMask",
        "sigma", "wavelet", "start_level", "level", "lbp2DRadius", "lbp2DSamples", "lbp2DMethod", "lbp3DLevels",
        "lbp3DIcosphereRadius", "lbp3DIcosphereSubdivision", "gradientUseSpacing",
    ];

    public static PyRadiomicsParameters Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot read the parameter file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses parameter-file text; <paramref name="source"/> names it in errors.</summary>
    public static PyRadiomicsParameters Parse(string text, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new ImageFormatException(source, $"not valid YAML/JSON: {e.Message}", e); }
        if (stream.Documents.Count == 0) return Default;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ImageFormatException(source, "a parameter file must be a mapping with the sections setting, imageType, featureClass");
        try { return Read(new Section(root, "")); }
        catch (SettingsError e) { throw new ImageFormatException(source, e.Message); }
    }

    private static PyRadiomicsParameters Read(Section root)
    {
        root.Allow("setting", "imageType", "featureClass", "voxelSetting");
        var settings = root.Child("setting") is { } s ? ReadSettings(s, new PyRadiomicsSettings()) : new PyRadiomicsSettings();

        var imageTypes = new List<ImageTypeRequest>();
        if (root.Child("imageType") is { } types)
        {
            types.Allow([.. ImageTypeCatalog.Names]);
            foreach (var name in types.Keys)
                imageTypes.Add(new ImageTypeRequest(name, types.Child(name) is { } own ? ReadSettings(own, settings) : settings));
        }
        else imageTypes.Add(new ImageTypeRequest("Original", settings));

        var classes = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        if (root.Child("featureClass") is { } featureClass)
        {
            featureClass.Allow([.. PyFeatureNames.Classes.Keys]);
            foreach (var name in featureClass.Keys)
            {
                var all = PyFeatureNames.Classes[name];
                var chosen = featureClass.Strings(name, all);
                classes.Add(new(name, chosen is { Count: > 0 } ? chosen : all));
            }
        }
        else classes.AddRange(Default.FeatureClasses);
        if (classes.Any(c => c.Key == "shape2D") && !imageTypes.All(t => t.Settings.Force2D))
            throw new SettingsError("featureClass 'shape2D' needs setting 'force2D: true'");
        return new PyRadiomicsParameters(settings, imageTypes, classes);
    }

    /// <summary>Reads a settings mapping on top of <paramref name="basis"/>, validating every value.</summary>
    private static PyRadiomicsSettings ReadSettings(Section s, PyRadiomicsSettings basis)
    {
        s.Allow(SettingKeys);
        var spacing = s.Numbers("resampledPixelSpacing");
        if (spacing is not null && (spacing.Count != 3 || spacing.Any(v => v < 0)))
            throw new SettingsError($"'{s.PathOf("resampledPixelSpacing")}' must list 3 spacings ≥ 0 (0 keeps the original), got [{Format(spacing)}]");
        var distances = s.Numbers("distances");
        if (distances is not null && (distances.Count == 0 || distances.Any(d => d < 1 || d > int.MaxValue || d != Math.Floor(d))))
            throw new SettingsError($"'{s.PathOf("distances")}' must list positive integers (at most {int.MaxValue}), got [{Format(distances)}]");
        var range = s.Numbers("resegmentRange");
        if (range is not null && (range.Count is < 1 or > 2 || (range.Count == 2 && range[1] < range[0])))
            throw new SettingsError($"'{s.PathOf("resegmentRange")}' must hold a lower bound or a lower and upper bound, got [{Format(range)}]");
        var sigma = s.Numbers("sigma");
        if (sigma is not null && sigma.Any(v => !(v > 0)))
            throw new SettingsError($"'{s.PathOf("sigma")}' must list positive σ values (mm), got [{Format(sigma)}]");
        var weighting = s.Scalar("weightingNorm");

        var settings = basis with
        {
            MinimumRoiDimensions = Int(s, "minimumROIDimensions", 1, 3) ?? basis.MinimumRoiDimensions,
            MinimumRoiSize = Int(s, "minimumROISize", 1, int.MaxValue) ?? basis.MinimumRoiSize,
            Normalize = s.Bool("normalize") ?? basis.Normalize,
            NormalizeScale = Positive(s, "normalizeScale") ?? basis.NormalizeScale,
            RemoveOutliers = Positive(s, "removeOutliers") ?? basis.RemoveOutliers,
            ResampledPixelSpacing = spacing ?? basis.ResampledPixelSpacing,
            Interpolator = s.Enum("interpolator", InterpolatorNames) ?? basis.Interpolator,
            PreCrop = s.Bool("preCrop") ?? basis.PreCrop,
            PadDistance = Int(s, "padDistance", 0, 1000) ?? basis.PadDistance,
            Distances = distances?.Select(d => (int)d).ToArray() ?? basis.Distances,
            Force2D = s.Bool("force2D") ?? basis.Force2D,
            Force2DDimension = Int(s, "force2Ddimension", 0, 2) ?? basis.Force2DDimension,
            ResegmentRange = range ?? basis.ResegmentRange,
            ResegmentMode = s.Enum("resegmentMode", ResegmentModes) ?? basis.ResegmentMode,
            ResegmentShape = s.Bool("resegmentShape") ?? basis.ResegmentShape,
            Label = Int(s, "label", 1, int.MaxValue) ?? basis.Label,
            LabelChannel = Int(s, "label_channel", 0, int.MaxValue) ?? basis.LabelChannel,
            AdditionalInfo = s.Bool("additionalInfo") ?? basis.AdditionalInfo,
            BinWidth = Positive(s, "binWidth") ?? basis.BinWidth,
            BinCount = Int(s, "binCount", 1, 65535) ?? basis.BinCount,
            VoxelArrayShift = s.Number("voxelArrayShift") ?? basis.VoxelArrayShift,
            SymmetricalGlcm = s.Bool("symmetricalGLCM") ?? basis.SymmetricalGlcm,
            WeightingNorm = weighting is null ? basis.WeightingNorm
                : WeightingNames.TryGetValue(weighting, out var w) ? w
                : throw new SettingsError($"'{s.PathOf("weightingNorm")}' must be one of {string.Join(", ", WeightingNames.Keys)} (or null), got '{weighting}'"),
            GldmA = Int(s, "gldm_a", 0, int.MaxValue) ?? basis.GldmA,
            GeometryTolerance = Positive(s, "geometryTolerance") ?? basis.GeometryTolerance,
            CorrectMask = s.Bool("correctMask") ?? basis.CorrectMask,
            Filters = basis.Filters with
            {
                Sigma = sigma ?? basis.Filters.Sigma,
                Wavelet = s.Scalar("wavelet") ?? basis.Filters.Wavelet,
                StartLevel = Int(s, "start_level", 0, 16) ?? basis.Filters.StartLevel,
                Level = Int(s, "level", 1, 16) ?? basis.Filters.Level,
                Lbp2DRadius = Positive(s, "lbp2DRadius") ?? basis.Filters.Lbp2DRadius,
                Lbp2DSamples = Int(s, "lbp2DSamples", 1, 64) ?? basis.Filters.Lbp2DSamples,
                Lbp2DMethod = s.Scalar("lbp2DMethod") ?? basis.Filters.Lbp2DMethod,
                Lbp3DLevels = Int(s, "lbp3DLevels", 1, 64) ?? basis.Filters.Lbp3DLevels,
                Lbp3DIcosphereRadius = Positive(s, "lbp3DIcosphereRadius") ?? basis.Filters.Lbp3DIcosphereRadius,
                Lbp3DIcosphereSubdivision = Int(s, "lbp3DIcosphereSubdivision", 0, 8) ?? basis.Filters.Lbp3DIcosphereSubdivision,
                GradientUseSpacing = s.Bool("gradientUseSpacing") ?? basis.Filters.GradientUseSpacing,
            },
        };
        return settings;
    }

    private static int? Int(Section s, string key, int min, int max)
    {
        var value = s.Number(key);
        if (value is null) return null;
        if (value != Math.Floor(value.Value) || value < min || value > max)
            throw new SettingsError($"'{s.PathOf(key)}' must be an integer from {min} to {(max == int.MaxValue ? "∞" : max)}, got {Format([value.Value])}");
        return (int)value;
    }

    private static double? Positive(Section s, string key)
    {
        var value = s.Number(key);
        if (value is not null && !(value > 0)) throw new SettingsError($"'{s.PathOf(key)}' must be positive, got {Format([value.Value])}");
        return value;
    }

    private static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
