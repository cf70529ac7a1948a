using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// PyRadiomics' own baseline values for brain1 (../shared/reference/pyradiomics/baseline_brain1.csv): for each
/// configuration, every feature PyRadiomics reports must match ours to 1e-6 relative. The parameter files are
/// settings/pyradiomics/brain1/{configuration}.yaml. A failure lists every failing feature with both values.
/// </summary>
public class BaselineTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    /// <summary>
    /// Features that do not reach 1e-6, with the bound they do meet and why.
    /// Mesh-based shape features: PyRadiomics triangulates with the classic Lorensen marching-cubes table, which
    /// resolves ambiguous faces differently from the watertight mesh shared with IBSI morphology (brain1: mesh volume
    /// 2e-4, area 1e-3 apart; 4e-3 on the coarser 2 mm grid of "resampling").
    /// "resampling": the B-spline resampler works in single precision and SimpleITK casts the interpolated values back
    /// to int16 by truncation, so a few voxels whose value lies within float rounding of an integer land one grey
    /// value apart; the first-order statistics then differ by up to 3e-5 (texture classes, after binning, still match).
    /// </summary>
    private static (double Bound, string Reason)? KnownDifference(string configuration, string name)
    {
        if (name.Contains("_shape_", StringComparison.Ordinal)
            && (name.EndsWith("MeshVolume") || name.EndsWith("SurfaceArea") || name.EndsWith("SurfaceVolumeRatio") || name.EndsWith("Sphericity")))
            return (configuration == "resampling" ? 5e-3 : 2e-3, "marching-cubes table");
        if (configuration == "resampling" && name.Contains("_firstorder_", StringComparison.Ordinal))
            return (5e-5, "single-precision B-spline, truncated to int16");
        return null;
    }

    private static readonly Lazy<List<string[]>> Baseline = new(() =>
        ReadCsv(ReferenceData.Path("pyradiomics", "baseline_brain1.csv")).Skip(1).ToList());

    public static TheoryData<string> Configurations() =>
        new(["default", "2d", "FBN", "combined", "flatRegion", "normalization", "resampling", "resegmentation", "shape2D"]);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_baseline_feature_matches(string configuration)
    {
        var expected = Baseline.Value
            .Where(r => r[1] == configuration && !r[3].StartsWith("diagnostics_", StringComparison.Ordinal))
            .ToDictionary(r => r[3], r => double.Parse(r[4], CultureInfo.InvariantCulture));
        Assert.NotEmpty(expected);
        var result = Extract(configuration);
        var ours = result.Features.ToDictionary(f => f.Key, f => f.Value);

        var failures = new List<string>();
        var approximate = new List<string>();
        foreach (var (name, reference) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!ours.TryGetValue(name, out var value)) { failures.Add($"{name}: not computed (PyRadiomics {reference:R})"); continue; }
            if (Matches(value, reference, Tolerance)) continue;
            if (KnownDifference(configuration, name) is { } known && Matches(value, reference, known.Bound))
                approximate.Add($"{name}: ours {value:R}, PyRadiomics {reference:R}, relative difference {RelativeDifference(value, reference):G3} ≤ {known.Bound:G} ({known.Reason})");
            else failures.Add($"{name}: ours {value:R}, PyRadiomics {reference:R}, relative difference {RelativeDifference(value, reference):G3}");
        }
        string summary = $"{configuration}: {expected.Count - failures.Count - approximate.Count}/{expected.Count} features match PyRadiomics to {Tolerance:G} relative"
            + (approximate.Count > 0 ? $", {approximate.Count} within their documented bound" : "") + $", {failures.Count} fail";
        output.WriteLine(summary);
        foreach (var a in approximate) output.WriteLine("  " + a);
        foreach (var f in failures) output.WriteLine("  " + f);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Mask_diagnostics_match(string configuration)
    {
        var expected = Baseline.Value.Where(r => r[1] == configuration && r[4].Length > 0).GroupBy(r => r[3]).ToDictionary(g => g.Key, g => g.First()[4]);
        var ours = Extract(configuration).Diagnostics.ToDictionary(d => d.Key, d => d.Value);
        foreach (var name in new[] { "diagnostics_Mask-original_BoundingBox", "diagnostics_Mask-original_VoxelNum",
                     "diagnostics_Mask-original_VolumeNum", "diagnostics_Image-original_Hash", "diagnostics_Mask-original_Hash",
                     "diagnostics_Image-original_Size", "diagnostics_Mask-original_Size",
                     "diagnostics_Mask-interpolated_BoundingBox", "diagnostics_Mask-interpolated_VoxelNum", "diagnostics_Image-interpolated_Size" })
            if (expected.TryGetValue(name, out var value)) Assert.Equal(value, ours[name]);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<PyRadiomicsResult>> Results = new();

    /// <summary>The extraction of one configuration, computed once for both tests.</summary>
    internal static PyRadiomicsResult Extract(string configuration) =>
        Results.GetOrAdd(configuration, c => new Lazy<PyRadiomicsResult>(() => Compute(c))).Value;

    private static PyRadiomicsResult Compute(string configuration)
    {
        var parameters = PyRadiomicsParameters.Load(Path.Combine(ReferenceData.RepoRoot, "settings", "pyradiomics", "brain1", configuration + ".yaml"));
        var image = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_image.nrrd"));
        var mask = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_label.nrrd"));
        if (configuration == "shape2D") mask = SingleSlice(mask, 16);
        return PyRadiomicsExtractor.Extract(image, mask, parameters);
    }

    /// <summary>
    /// PyRadiomics' "brain1_2D" test mask (not among the reference files): slice k of the brain1 label as a one-slice
    /// volume at that slice's position. Its hash (diagnostics_Mask-original_Hash, checked by <see cref="Mask_diagnostics_match"/>)
    /// confirms it is the same input; correctMask then places it on the image grid.
    /// </summary>
    private static Volume SingleSlice(Volume mask, int k)
    {
        var g = mask.Grid;
        var voxels = mask.Voxels.AsSpan(g.Nx * g.Ny * k, g.Nx * g.Ny).ToArray();
        return new Volume(new Grid(g.Nx, g.Ny, 1, g.Spacing, g.IndexToPhysical(0, 0, k), g.Direction), voxels, mask.StoredType);
    }

    private static bool Matches(double value, double reference, double tolerance) =>
        value == reference || Math.Abs(value - reference) <= tolerance * Math.Abs(reference);

    private static double RelativeDifference(double value, double reference) =>
        Math.Abs(value - reference) / Math.Max(Math.Abs(reference), double.Epsilon);

    /// <summary>Rows of a CSV file whose quoted fields may hold commas.</summary>
    private static IEnumerable<string[]> ReadCsv(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            bool quoted = false;
            foreach (char c in line)
            {
                if (c == '"') quoted = !quoted;
                else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(c);
            }
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }
}
