using System.Globalization;
using System.Numerics;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>The output of one case: <c>diagnostics_*</c> entries (text) then features (numbers), in output order.</summary>
public sealed record PyRadiomicsResult(
    IReadOnlyList<KeyValuePair<string, string>> Diagnostics,
    IReadOnlyList<KeyValuePair<string, double>> Features);

/// <summary>
/// PyRadiomics-compatible extraction (PyRadiomics' <c>featureextractor.execute</c>): mask check, normalisation,
/// resampling, re-segmentation, crop to the ROI's bounding box + <c>padDistance</c>, shape on the mask, then per image
/// type the first-order and texture classes, named <c>{imageType}_{class}_{feature}</c>.
/// See docs/pyradiomics-compatibility.md for every place where PyRadiomics departs from IBSI.
/// Independent work runs concurrently: the whole-image diagnostics, the shape class and each derived image's classes.
/// </summary>
public static class PyRadiomicsExtractor
{
    public const string CompatibleVersion = "3.1.0";

    /// <summary>
    /// PyRadiomics' <c>execute(imagePath, maskPath)</c>: reads both files at once and, while the image (usually the
    /// larger file to inflate) is still being read, hashes the mask for the diagnostics on the other core. Errors
    /// surface as the readers throw them, the image's before the mask's.
    /// </summary>
    public static PyRadiomicsResult ExtractFiles(string imagePath, string maskPath, PyRadiomicsParameters parameters, int? label = null)
    {
        var mask = Task.Run(() => ImageFile.Read(maskPath));
        var maskHash = parameters.Settings.AdditionalInfo
            ? mask.ContinueWith(read => PyDiagnostics.MaskHash(read.Result), TaskContinuationOptions.OnlyOnRanToCompletion)
            : null;
        Volume image;
        try
        {
            image = ImageFile.Read(imagePath);
        }
        catch
        {
            mask.ContinueWith(read => read.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, not reported twice
            throw;
        }
        return Run(image, mask.GetAwaiter().GetResult(), parameters, label, imagePath, maskPath, maskHash);
    }

    /// <exception cref="GeometryMismatchException">Mask and image grids differ beyond the tolerance (and correctMask is off).</exception>
    /// <exception cref="EmptyRoiException">The label is absent, or the ROI is smaller than minimumROIDimensions/minimumROISize.</exception>
    public static PyRadiomicsResult Extract(Volume image, Volume mask, PyRadiomicsParameters parameters,
        int? label = null, string imageName = "image", string maskName = "mask") =>
        Run(image, mask, parameters, label, imageName, maskName, null);

    /// <param name="maskHash">The original mask's hash (<see cref="PyDiagnostics.MaskHash"/>) when already under way.</param>
    private static PyRadiomicsResult Run(Volume image, Volume mask, PyRadiomicsParameters parameters,
        int? label, string imageName, string maskName, Task<string>? maskHash)
    {
        var settings = parameters.Settings;
        int roiLabel = label ?? settings.Label;
        if (roiLabel < 1) throw new ArgumentOutOfRangeException(nameof(label), roiLabel, "the ROI label must be a positive integer");
        var diagnostics = settings.AdditionalInfo ? new PyDiagnostics() : null;
        if (diagnostics is not null)
        {
            diagnostics.Add("Versions_PyRadiomics", CompatibleVersion + " (Habitat)");
            diagnostics.Add("Versions_Habitat", typeof(PyRadiomicsExtractor).Assembly.GetName().Version?.ToString() ?? "");
            diagnostics.Add("Configuration_Settings", PyFormat.Dictionary(settings.AsPythonDictionary()));
            diagnostics.Add("Configuration_EnabledImageTypes",
                "{" + string.Join(", ", parameters.ImageTypes.Select(t => $"'{t.Name}': {{}}")) + "}");
            diagnostics.DescribeImage("original", image);
            var original = mask;
            maskHash ??= Task.Run(() => PyDiagnostics.MaskHash(original));
        }

        var box = LabelBounds(mask, roiLabel, maskName);
        if (box.IsEmpty) throw new EmptyRoiException($"{maskName} holds no voxel with label {roiLabel}");
        diagnostics?.DescribeMask("original", mask.Grid, box, LabelMask(mask, box, roiLabel), hash: maskHash);
        // Mask check (PyRadiomics checkMask): same geometry, or resampled onto the image with correctMask. With
        // resampling PyRadiomics checks only afterwards: image and mask are both resampled onto a grid laid out from the
        // mask's, so differing origins or spacings are accepted whatever correctMask says. (Habitat's resampler maps
        // along shared axes: differing directions still go through correctMask.)
        double tolerance = settings.GeometryTolerance ?? 1e-4;
        bool resampling = settings.ResampledPixelSpacing is not null;
        bool corrected = image.Grid.Describe(mask.Grid, tolerance) is not null
            && !(resampling && image.Grid.Direction.ApproximatelyEquals(mask.Grid.Direction, tolerance));
        if (corrected)
        {
            if (!settings.CorrectMask) image.Grid.EnsureMatches(mask.Grid, imageName, maskName, tolerance);
            mask = CorrectMask(mask, image.Grid);
            box = LabelBounds(mask, roiLabel, maskName);
            if (box.IsEmpty) throw new EmptyRoiException($"{maskName}: no voxel with label {roiLabel} lies inside the image");
        }

        var working = image;
        if (settings.Normalize) working = Normalise(working, settings);
        if (settings.ResampledPixelSpacing is { } spacing)
        {
            var target = ResampledGrid(mask.Grid, box, spacing, settings.PadDistance);
            working = Resampler.Resample(working, target, settings.Interpolator switch
            {
                PyInterpolator.BSpline => InterpolationMethod.CubicSpline,
                PyInterpolator.Linear => InterpolationMethod.Linear,
                _ => InterpolationMethod.Nearest,
            }, SplineBoundary.Mirror, castToStoredType: true); // as SimpleITK: mirrored B-spline, output keeps the pixel type
            mask = Resampler.Resample(mask, target, InterpolationMethod.Nearest);
            box = LabelBounds(mask, roiLabel, maskName);
            if (box.IsEmpty) throw new EmptyRoiException($"{maskName}: no voxel with label {roiLabel} is left after resampling");
            image = working;
            diagnostics?.DescribeImage("interpolated", working);
            diagnostics?.DescribeMask("interpolated", target, box, LabelMask(mask, box, roiLabel), working);
        }
        // PyRadiomics checks the mask after resampling, which puts both on one grid: "corrected" appears only without it.
        else if (corrected) diagnostics?.DescribeMask("corrected", image.Grid, box, LabelMask(mask, box, roiLabel), working);

        // Crop to the bounding box + padDistance: features of the ROI do not depend on voxels further away.
        int pad = settings.PadDistance;
        var crop = box.Grow(image.Grid, pad, pad, pad);
        var grid = crop.SubGrid(image.Grid);
        var morphological = LabelMask(mask, crop, roiLabel);
        CheckSize(morphological, crop.Count, grid, settings, maskName);

        var intensityMask = morphological;
        if (settings.ResegmentRange is { } range)
        {
            intensityMask = Resegment(crop.Extract(image.Grid, working.Voxels), morphological, range, settings.ResegmentMode);
            CheckSize(intensityMask, crop.Count, grid, settings, maskName + " after re-segmentation");
            if (diagnostics is not null)
            {
                var inCrop = Box.Bounding(grid, intensityMask);
                var resegmented = new Box(crop.I0 + inCrop.I0, crop.J0 + inCrop.J0, crop.K0 + inCrop.K0,
                    crop.I0 + inCrop.I1, crop.J0 + inCrop.J1, crop.K0 + inCrop.K1);
                diagnostics.DescribeMask("resegmented", image.Grid, resegmented, inCrop.Extract(grid, intensityMask), working);
            }
        }

        // Each part computes its features into its own list, in parallel; the lists are joined in output order.
        var classes = parameters.FeatureClasses.ToDictionary(c => c.Key, c => c.Value);
        var shapeMask = settings.ResegmentShape ? intensityMask : morphological;
        var parts = new List<Func<List<KeyValuePair<string, double>>>>();
        if (classes.TryGetValue("shape", out var shapeNames))
            parts.Add(() => Collect("original", "shape", shapeNames, add => PyShape.Compute(grid, shapeMask, add)));
        if (classes.TryGetValue("shape2D", out var shape2DNames))
            parts.Add(() => Collect("original", "shape2D", shape2DNames, add => PyShape2D.Compute(grid, shapeMask, settings.Force2DDimension, add)));
        // The filters run one after the other (each is parallel inside), then the feature classes of all images at once.
        foreach (var request in parameters.ImageTypes)
            foreach (var derived in ImageTypeCatalog.Get(request.Name).Derive(working, crop, request.Settings))
                parts.Add(() => ComputeImageType(derived.Name, grid, derived.Image.Voxels, intensityMask, request.Settings, classes));
        var features = new List<KeyValuePair<string, double>>();
        foreach (var part in Concurrently.Run(parts)) features.AddRange(part);
        return new PyRadiomicsResult(diagnostics?.Complete() ?? [], features);
    }

    /// <summary>
    /// The bounding box of the voxels holding <paramref name="label"/> (empty when there is none), in one pass over the
    /// whole mask that allocates nothing; a negative or NaN value anywhere is an error naming the voxel. Rows are first
    /// tested with vector compares (any value above 0? any not ≥ 0?); only rows holding labels are searched voxel by voxel.
    /// </summary>
    private static Box LabelBounds(Volume mask, int label, string maskName)
    {
        var voxels = mask.Voxels;
        var grid = mask.Grid;
        int width = Vector<float>.Count, nx = grid.Nx;
        int i0 = int.MaxValue, j0 = int.MaxValue, k0 = int.MaxValue, i1 = -1, j1 = -1, k1 = -1;
        for (int k = 0, row = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++, row += nx)
            {
                var invalid = Vector<int>.Zero;
                var labelled = Vector<int>.Zero;
                int i = 0;
                for (; i <= nx - width; i += width)
                {
                    var v = new Vector<float>(voxels, row + i);
                    invalid |= ~Vector.GreaterThanOrEqual(v, Vector<float>.Zero);
                    labelled |= Vector.GreaterThan(v, Vector<float>.Zero);
                }
                bool any = labelled != Vector<int>.Zero;
                for (; i < nx; i++)
                {
                    float v = voxels[row + i];
                    if (!(v >= 0)) invalid = Vector<int>.AllBitsSet;
                    any |= v > 0;
                }
                if (invalid != Vector<int>.Zero) NotALabel(voxels, row, nx, maskName);
                if (!any) continue;
                int first = -1, last = -1;
                for (i = 0; i < nx; i++)
                    if (HoldsLabel(voxels[row + i], label))
                    {
                        if (first < 0) first = i;
                        last = i;
                    }
                if (last < 0) continue;
                i0 = Math.Min(i0, first); i1 = Math.Max(i1, last);
                j0 = Math.Min(j0, j); j1 = Math.Max(j1, j);
                k0 = Math.Min(k0, k); k1 = k;
            }
        return i1 < 0 ? default : new Box(i0, j0, k0, i1 + 1, j1 + 1, k1 + 1);
    }

    /// <summary>PyRadiomics casts the mask to UInt32 (SimpleITK's Cast truncates), then compares with the label.</summary>
    private static bool HoldsLabel(float value, int label) => value >= label && value < label + 1.0;

    private static void NotALabel(float[] voxels, int start, int count, string maskName)
    {
        for (int n = start; n < start + count; n++)
            if (!(voxels[n] >= 0))
                throw new ImageFormatException(maskName, $"label image holds a value that is not a non-negative label ({voxels[n]}) at voxel {n}");
    }

    /// <summary>1 where the mask holds <paramref name="label"/>, over <paramref name="region"/> (x fastest).</summary>
    private static byte[] LabelMask(Volume mask, Box region, int label)
    {
        var roi = new byte[region.Count];
        for (int k = region.K0, n = 0; k < region.K1; k++)
            for (int j = region.J0; j < region.J1; j++)
            {
                var row = mask.Voxels.AsSpan(mask.Grid.Index(region.I0, j, k), region.Nx);
                foreach (var v in row) roi[n++] = HoldsLabel(v, label) ? (byte)1 : (byte)0;
            }
        return roi;
    }

    /// <summary>PyRadiomics' correctMask: the mask resampled onto the image grid by nearest neighbour, 0 outside the mask's extent.</summary>
    private static Volume CorrectMask(Volume mask, Grid target)
    {
        var source = mask.Grid;
        var labels = new float[target.Count];
        for (int k = 0, n = 0; k < target.Nz; k++)
            for (int j = 0; j < target.Ny; j++)
                for (int i = 0; i < target.Nx; i++, n++)
                {
                    var index = source.PhysicalToIndex(target.IndexToPhysical(i, j, k));
                    int si = (int)Math.Round(index.X), sj = (int)Math.Round(index.Y), sk = (int)Math.Round(index.Z);
                    if (source.Contains(si, sj, sk)) labels[n] = mask.Voxels[source.Index(si, sj, sk)];
                }
        return new Volume(target, labels, mask.StoredType);
    }

    /// <summary>
    /// PyRadiomics' resampleImage grid: the ROI's bounding box (continuous index bounds ± 0.5 voxel) mapped to the new
    /// spacing, grown by padDistance new voxels, rounded outward and kept within the image; new voxel 0 is centred
    /// ½ (new − old) spacing beyond the corner of original voxel 0. A spacing of 0 keeps the axis' spacing.
    /// </summary>
    private static Grid ResampledGrid(Grid grid, Box box, IReadOnlyList<double> spacing, int pad)
    {
        double[] old = [grid.Spacing.X, grid.Spacing.Y, grid.Spacing.Z];
        int[] lower = [box.I0, box.J0, box.K0], extent = [box.Nx, box.Ny, box.Nz], size = [grid.Nx, grid.Ny, grid.Nz];
        var newSpacing = new double[3];
        var newSize = new int[3];
        var originIndex = new double[3];
        for (int axis = 0; axis < 3; axis++)
        {
            newSpacing[axis] = spacing[axis] == 0 ? old[axis] : spacing[axis];
            double ratio = old[axis] / newSpacing[axis];
            double lo = Math.Max(0, Math.Floor((lower[axis] - 0.5) * ratio - pad));
            double hi = Math.Min(Math.Ceiling(size[axis] * ratio) - 1, Math.Ceiling((lower[axis] + extent[axis] - 0.5) * ratio + pad));
            newSize[axis] = (int)(hi - lo + 1);
            originIndex[axis] = 0.5 * (newSpacing[axis] - old[axis]) / old[axis] + lo / ratio;
        }
        var origin = grid.IndexToPhysical(originIndex[0], originIndex[1], originIndex[2]);
        return new Grid(newSize[0], newSize[1], newSize[2], new Vec3(newSpacing[0], newSpacing[1], newSpacing[2]), origin, grid.Direction);
    }

    private static List<KeyValuePair<string, double>> ComputeImageType(string prefix, Grid grid, float[] voxels, byte[] mask,
        PyRadiomicsSettings settings, Dictionary<string, IReadOnlyList<string>> classes)
    {
        var features = new List<KeyValuePair<string, double>>();
        int count = 0;
        foreach (var m in mask) count += m;
        var values = new double[count];
        int notFinite = 0;
        for (int n = 0, v = 0; n < mask.Length; n++)
            if (mask[n] != 0)
            {
                values[v++] = voxels[n];
                if (!float.IsFinite(voxels[n])) notFinite++;
            }
        // Binning and every texture matrix need finite values; e.g. LBP3D's kurtosis is undefined where all samples are equal.
        if (notFinite > 0)
            throw new InvalidDataException($"image type {prefix}: {notFinite} of {count} voxels in the ROI are not finite (NaN or ±∞), so its features cannot be computed");
        var levels = PyDiscretisation.Levels(values, settings);

        if (classes.TryGetValue("firstorder", out var firstOrder))
            features.AddRange(Collect(prefix, "firstorder", firstOrder,
                add => PyFirstOrder.Compute(values, levels, grid.VoxelVolume, settings.VoxelArrayShift, add))); // reorders values, unused after

        string[] textureClasses = ["glcm", "glrlm", "glszm", "gldm", "ngtdm"];
        if (!textureClasses.Any(classes.ContainsKey)) return features;
        var levelVolume = new int[mask.Length];
        int maxLevel = 0;
        for (int n = 0, v = 0; n < mask.Length; n++)
            if (mask[n] != 0)
            {
                levelVolume[n] = levels[v++];
                maxLevel = Math.Max(maxLevel, levelVolume[n]);
            }
        var discretised = new DiscretisedRoi(grid, levelVolume, maxLevel, mask);
        foreach (var (name, value) in PyTexture.Compute(discretised, settings, classes))
            features.Add(new($"{prefix}_{name}", value));
        return features;
    }

    private static List<KeyValuePair<string, double>> Collect(string prefix, string featureClass, IReadOnlyList<string> wanted,
        Action<Action<string, double>> compute)
    {
        var values = new Dictionary<string, double>();
        compute((name, value) => values[name] = value);
        var features = new List<KeyValuePair<string, double>>(wanted.Count);
        foreach (var name in wanted) features.Add(new($"{prefix}_{featureClass}_{name}", values[name]));
        return features;
    }

    /// <summary>SimpleITK's Normalize over the whole image ((x − mean) / σ, σ with N − 1), optional clipping at
    /// ±removeOutliers, then × normalizeScale.</summary>
    private static Volume Normalise(Volume image, PyRadiomicsSettings settings)
    {
        var x = image.Voxels;
        double sum = 0, squares = 0;
        foreach (var v in x) { sum += v; squares += (double)v * v; }
        double mean = sum / x.Length, sigma = Math.Sqrt((squares - sum * sum / x.Length) / (x.Length - 1));
        var result = new float[x.Length];
        for (int n = 0; n < x.Length; n++)
        {
            double z = (x[n] - mean) / sigma;
            if (settings.RemoveOutliers is { } limit) z = Math.Clamp(z, -limit, limit);
            result[n] = (float)(z * settings.NormalizeScale);
        }
        return new Volume(image.Grid, result, PixelType.Float64);
    }

    /// <summary>PyRadiomics resegmentMask: keep ROI voxels within [lower, upper] (upper optional); the bounds are absolute,
    /// fractions of the ROI maximum (relative) or mean ± k σ (sigma, population σ).</summary>
    private static byte[] Resegment(float[] voxels, byte[] mask, IReadOnlyList<double> range, ResegmentMode mode)
    {
        double lower = range[0], upper = range.Count > 1 ? range[1] : double.PositiveInfinity;
        if (mode != ResegmentMode.Absolute)
        {
            double sum = 0, squares = 0, max = double.NegativeInfinity;
            int count = 0;
            for (int n = 0; n < mask.Length; n++)
                if (mask[n] != 0) { sum += voxels[n]; squares += (double)voxels[n] * voxels[n]; max = Math.Max(max, voxels[n]); count++; }
            if (mode == ResegmentMode.Relative)
            {
                lower *= max;
                upper = range.Count > 1 ? upper * max : upper;
            }
            else
            {
                double mean = sum / count, sigma = Math.Sqrt(Math.Max(0, squares / count - mean * mean));
                lower = mean + lower * sigma;
                upper = range.Count > 1 ? mean + upper * sigma : upper;
            }
        }
        var result = new byte[mask.Length];
        for (int n = 0; n < mask.Length; n++)
            result[n] = mask[n] != 0 && voxels[n] >= lower && voxels[n] <= upper ? (byte)1 : (byte)0;
        return result;
    }

    private static void CheckSize(byte[] mask, int length, Grid grid, PyRadiomicsSettings settings, string maskName)
    {
        var box = Box.Bounding(grid, mask);
        if (box.IsEmpty) throw new EmptyRoiException($"{maskName}: the ROI holds no voxel");
        int dimensions = (box.Nx > 1 ? 1 : 0) + (box.Ny > 1 ? 1 : 0) + (box.Nz > 1 ? 1 : 0);
        if (dimensions < settings.MinimumRoiDimensions)
            throw new EmptyRoiException($"{maskName}: the ROI spans {dimensions} dimension(s), minimumROIDimensions is {settings.MinimumRoiDimensions}");
        int count = 0;
        for (int n = 0; n < length; n++) count += mask[n];
        if (settings.MinimumRoiSize is { } minimum && count < minimum)
            throw new EmptyRoiException($"{maskName}: the ROI holds {count} voxels, minimumROISize is {minimum}");
    }
}

/// <summary>Independent pieces of work run on all cores, the calling thread included.</summary>
internal static class Concurrently
{
    /// <summary>The results of <paramref name="work"/>, in order; a failing piece's own exception is rethrown.</summary>
    public static T[] Run<T>(IReadOnlyList<Func<T>> work)
    {
        var results = new T[work.Count];
        try
        {
            Parallel.For(0, work.Count, i => results[i] = work[i]());
        }
        catch (AggregateException error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerExceptions[0]).Throw();
        }
        return results;
    }
}

/// <summary>Python-style text of values, as PyRadiomics' diagnostics print them.</summary>
internal static class PyFormat
{
    public static string Number(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e16 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");

    public static string Tuple(params double[] values) => "(" + string.Join(", ", values.Select(Number)) + ")";

    public static string Value(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => Number(d),
        string s => $"'{s}'",
        IEnumerable<int> list => "[" + string.Join(", ", list) + "]",
        IEnumerable<double> list => "[" + string.Join(", ", list.Select(Number)) + "]",
        _ => value.ToString() ?? "",
    };

    public static string Dictionary(IEnumerable<KeyValuePair<string, object?>> entries) =>
        "{" + string.Join(", ", entries.Select(e => $"'{e.Key}': {Value(e.Value)}")) + "}";
}
