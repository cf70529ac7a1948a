using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Maps;
using Habitat.Radiomics.Settings;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat map</c>: per-voxel feature maps (CoLlAGe, voxel-wise first-order and GLCM) written as images on the input's grid.</summary>
public sealed class MapCommand : ICommand
{
    public string Name => "map";
    public string Summary => "per-voxel feature maps (CoLlAGe, voxel-wise texture) saved as images";
    public string Usage => $"""
        usage: habitat map --image I --mask M --feature F [--feature F2 ...] --out map.nii.gz [options]
          --image I              image (NIfTI, NRRD, MetaImage)
          --mask M               label image on the same grid as the image
          --settings S           settings file (YAML/JSON, as for extract): its discretisation and collage section are used;
                                 the options below override them
          --label L              label of the ROI (default: every non-zero label)
          --feature F            a map to compute (repeatable):
                                   collage.theta.S, collage.phi.S with S one of
                                     {string.Join(", ", HaralickStatistics.Names)}
                                   {string.Join(", ", VoxelwiseMaps.Features)}
          --out PATH             output image; its extension picks the format. With several --feature, each map goes to
                                 PATH with _<feature> inserted before the extension (map.nii.gz → map_collage.theta.entropy.nii.gz)
        CoLlAGe:
          --k K                  orientation neighbourhood radius (default 2: 5×5)
          --w W                  co-occurrence window radius (default 2: 5×5)
          --bins G               orientation bins (default 64)
          --collage-2d           in-plane gradients only (θ); default 3-D gradients (θ and φ)
          --fixed-orientation-bins   bins over the angles' full range instead of the case's min–max
        Voxel-wise features:
          --radius R             kernel radius (default 1: 3×3×3)
          --unmasked-kernel      kernels use every image voxel (default: ROI voxels only)
          --merged-glcm          one GLCM merged over the 13 directions (default: features averaged over directions)
          --bin-count N | --bin-width W   discretisation over the ROI's range (default: the settings', else --bin-count 32)
        Values outside the ROI are NaN; maps are float32 on the image's grid (same size, spacing, origin, direction).
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "collage-2d", "fixed-orientation-bins", "unmasked-kernel", "merged-glcm" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var imagePath = args.Required("image");
        var maskPath = args.Required("mask");
        var labelText = args.Option("label");
        var features = args.Options("feature");
        if (features.Count == 0) throw new UsageException("give at least one --feature");
        if (features.Distinct(StringComparer.Ordinal).Count() != features.Count) throw new UsageException("a --feature is given twice");
        var outPath = args.Required("out");
        var settingsPath = args.Option("settings");
        var settings = settingsPath is null ? new IbsiSettings() : SettingsLoader.Load(settingsPath);
        var baseCollage = settings.Collage ?? new CollageSettings();
        CollageSettings collage;
        try
        {
            collage = baseCollage with
            {
                OrientationRadius = args.Int("k", baseCollage.OrientationRadius),
                CooccurrenceRadius = args.Int("w", baseCollage.CooccurrenceRadius),
                Bins = args.Int("bins", baseCollage.Bins),
                Dimension = args.Flag("collage-2d") ? CollageDimension.TwoD : baseCollage.Dimension,
                Binning = args.Flag("fixed-orientation-bins") ? OrientationBinning.FixedRange : baseCollage.Binning,
            };
        }
        catch (ArgumentOutOfRangeException e) { throw new UsageException(e.Message); }
        int radius = args.Int("radius", 1);
        bool unmasked = args.Flag("unmasked-kernel"), merged = args.Flag("merged-glcm");
        var binCountText = args.Option("bin-count");
        var binWidthText = args.Option("bin-width");
        if (binCountText is not null && binWidthText is not null) throw new UsageException("give --bin-count or --bin-width, not both");
        var discretisation = settings.Discretisation;
        if (binCountText is not null)
        {
            int count = args.Int("bin-count", 0);
            if (count < 1) throw new UsageException($"--bin-count must be positive, got {count}");
            discretisation = new DiscretisationSettings(DiscretisationMethod.FixedBinNumber, null, count);
        }
        if (binWidthText is not null)
        {
            double width = args.Double("bin-width", 0);
            if (!(width > 0 && double.IsFinite(width))) throw new UsageException($"--bin-width must be positive, got {binWidthText}");
            discretisation = new DiscretisationSettings(DiscretisationMethod.FixedBinSize, width, null);
        }
        int? label = labelText is null ? null
            : int.TryParse(labelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l > 0 ? l
            : throw new UsageException($"--label must be a positive integer, got '{labelText}'");
        args.EnsureAllUsed();
        if (settings.Interpolation is not null)
            stderr.WriteLine("habitat map: note: the settings' interpolation is not applied; maps are computed on the image's own grid");

        var collageFeatures = features.Where(f => f.StartsWith("collage.", StringComparison.Ordinal)).ToArray();
        var kernelFeatures = features.Where(f => !f.StartsWith("collage.", StringComparison.Ordinal)).ToArray();
        foreach (var f in collageFeatures)
            if (!IsCollageMap(f, collage.Dimension))
                throw new UsageException($"unknown CoLlAGe map '{f}'" + (f.StartsWith("collage.phi.", StringComparison.Ordinal) ? " (φ needs 3-D CoLlAGe)" : ""));
        foreach (var f in kernelFeatures)
            if (!VoxelwiseMaps.IsFeature(f)) throw new UsageException($"unknown feature '{f}'");
        if (radius is < 1 or > 10) throw new UsageException($"--radius must be 1…10, got {radius}");

        var image = ImageFile.Read(imagePath);
        var labels = ImageFile.ReadLabels(maskPath);
        image.Grid.EnsureMatches(labels.Grid, imagePath, maskPath);
        var roi = label is int one ? labels.MaskOf(one) : labels.Foreground();
        if (!roi.Contains((byte)1)) throw new ImageFormatException(maskPath, label is null ? "the mask has no non-zero voxel" : $"the mask has no voxel with label {label}");

        var maps = new List<FeatureMap>();
        if (collageFeatures.Length > 0)
        {
            var result = Collage.Compute(image, roi, collage);
            maps.AddRange(collageFeatures.Select(result.Map));
        }
        if (kernelFeatures.Length > 0)
        {
            var kernelImage = KernelImage.Discretise(image, roi, discretisation, settings.Resegmentation, maskedKernel: !unmasked);
            maps.AddRange(VoxelwiseMaps.Compute(kernelImage, roi, kernelFeatures, radius, merged));
        }

        Span<double> summary = stackalloc double[MapSummary.Names.Length];
        foreach (var map in maps)
        {
            var path = features.Count == 1 ? outPath : OutputPath(outPath, map.Name);
            ImageFile.Write(map.ToVolume(), path);
            var values = map.RoiValues();
            MapSummary.Compute(values, summary);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{map.Name}: {values.Length} ROI voxels, mean {summary[0]:G6}, median {summary[1]:G6} → {path}"));
        }
        return 0;
    }

    private static bool IsCollageMap(string name, CollageDimension dimension)
    {
        var parts = name.Split('.');
        return parts.Length == 3 && (parts[1] == "theta" || (parts[1] == "phi" && dimension == CollageDimension.ThreeD))
            && HaralickStatistics.Names.Contains(parts[2]);
    }

    private static readonly string[] KnownExtensions = [".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd", ".hdr"];

    /// <summary><paramref name="outPath"/> with <c>_{feature}</c> inserted before its image extension.</summary>
    internal static string OutputPath(string outPath, string feature)
    {
        var extension = KnownExtensions.FirstOrDefault(e => outPath.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ?? Path.GetExtension(outPath);
        return string.Concat(outPath.AsSpan(0, outPath.Length - extension.Length), "_", feature, outPath.AsSpan(outPath.Length - extension.Length));
    }
}
