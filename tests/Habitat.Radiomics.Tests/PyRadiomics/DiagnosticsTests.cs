using System.Globalization;
using Habitat.Imaging;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// The <c>diagnostics_*</c> entries PyRadiomics 3.1's GeneralInfo writes per stage: the original image's hash and
/// dimensionality, the original mask's hash (no image statistics: its alignment is not checked yet), the image's
/// statistics inside the ROI for the later stages (corrected, interpolated, resegmented), and 26-connected components.
/// </summary>
public class DiagnosticsTests
{
    private const int N = 12;

    /// <summary>A 12³ image of value 10·i + j + k (int16), and a label-1 cube of 4³ voxels at (2…5)³.</summary>
    private static (Volume Image, Volume Mask) Case(Action<float[]>? editMask = null)
    {
        var grid = Grid.Create(N, N, N, new Vec3(1, 1, 1));
        var image = new float[grid.Count];
        var mask = new float[grid.Count];
        for (int k = 0, n = 0; k < N; k++)
            for (int j = 0; j < N; j++)
                for (int i = 0; i < N; i++, n++)
                {
                    image[n] = 10 * i + j + k;
                    if (i is >= 2 and <= 5 && j is >= 2 and <= 5 && k is >= 2 and <= 5) mask[n] = 1;
                }
        editMask?.Invoke(mask);
        return (new Volume(grid, image, PixelType.Int16), new Volume(grid, mask, PixelType.UInt8));
    }

    private static Dictionary<string, string> Diagnostics(Volume image, Volume mask, string settings = "")
    {
        var parameters = PyRadiomicsParameters.Parse("imageType:\n  Original: {}\nfeatureClass:\n  firstorder: [Mean]\n" + settings, "test");
        return PyRadiomicsExtractor.Extract(image, mask, parameters).Diagnostics.ToDictionary(d => d.Key, d => d.Value);
    }

    [Fact]
    public void Stages_carry_the_entries_PyRadiomics_writes_for_them()
    {
        var (image, mask) = Case();
        var d = Diagnostics(image, mask);
        Assert.Contains("diagnostics_Image-original_Hash", d.Keys);
        Assert.Equal("3D", d["diagnostics_Image-original_Dimensionality"]);
        Assert.Contains("diagnostics_Mask-original_Hash", d.Keys);
        Assert.DoesNotContain("diagnostics_Mask-original_Dimensionality", d.Keys);
        Assert.DoesNotContain("diagnostics_Mask-original_Mean", d.Keys);
        Assert.Equal("(2, 2, 2, 4, 4, 4)", d["diagnostics_Mask-original_BoundingBox"]);
        Assert.Equal("64", d["diagnostics_Mask-original_VoxelNum"]);
        Assert.Equal("(3.5, 3.5, 3.5)", d["diagnostics_Mask-original_CenterOfMassIndex"]);
        Assert.DoesNotContain(d.Keys, k => k.Contains("interpolated") || k.Contains("corrected") || k.Contains("resegmented"));
        var keys = d.Keys.ToList();
        Assert.True(keys.IndexOf("diagnostics_Image-original_Maximum") < keys.IndexOf("diagnostics_Mask-original_Hash"));
    }

    [Fact]
    public void Volume_count_uses_26_connectivity()
    {
        // A second voxel touching the cube only at a corner is the same volume; one a voxel away is a second volume.
        var (image, corner) = Case(m => m[6 + N * (6 + N * 6)] = 1);
        Assert.Equal("1", Diagnostics(image, corner)["diagnostics_Mask-original_VolumeNum"]);
        var (_, apart) = Case(m => m[7 + N * (7 + N * 7)] = 1);
        Assert.Equal("2", Diagnostics(image, apart)["diagnostics_Mask-original_VolumeNum"]);
    }

    [Fact]
    public void Resegmented_mask_is_described_with_the_image_inside_it()
    {
        // Values in the cube are 10·i + j + k for i, j, k in 2…5: keep those ≥ 40, i.e. i ≥ 4 (and i = 3 with j + k ≥ 10).
        var (image, mask) = Case();
        var d = Diagnostics(image, mask, "setting:\n  resegmentRange: [40]\n");
        var kept = new List<double>();
        for (int k = 2; k <= 5; k++)
            for (int j = 2; j <= 5; j++)
                for (int i = 2; i <= 5; i++)
                    if (10 * i + j + k >= 40) kept.Add(10 * i + j + k);
        Assert.Equal(kept.Count.ToString(CultureInfo.InvariantCulture), d["diagnostics_Mask-resegmented_VoxelNum"]);
        Assert.Equal("(3, 2, 2, 3, 4, 4)", d["diagnostics_Mask-resegmented_BoundingBox"]);
        Assert.Equal($"({N}, {N}, {N})", d["diagnostics_Mask-resegmented_Size"]);
        Assert.Equal(kept.Average(), double.Parse(d["diagnostics_Mask-resegmented_Mean"], CultureInfo.InvariantCulture), 12);
        Assert.Equal("40.0", d["diagnostics_Mask-resegmented_Minimum"]);
        Assert.Equal("60.0", d["diagnostics_Mask-resegmented_Maximum"]);
        Assert.DoesNotContain("diagnostics_Mask-resegmented_Hash", d.Keys);
    }

    [Fact]
    public void Corrected_mask_is_described_with_the_image_inside_it_and_without_a_hash()
    {
        // The mask on a grid shifted by one voxel along x: corrected onto the image grid, the cube sits at i = 3…6.
        var (image, mask) = Case();
        var shifted = new Volume(Grid.Create(N, N, N, new Vec3(1, 1, 1), new Vec3(1, 0, 0)), mask.Voxels, mask.StoredType);
        var d = Diagnostics(image, shifted, "setting:\n  correctMask: true\n");
        Assert.Equal("(3, 2, 2, 4, 4, 4)", d["diagnostics_Mask-corrected_BoundingBox"]);
        Assert.DoesNotContain("diagnostics_Mask-corrected_Hash", d.Keys);
        // 10·i + j + k over i = 3…6, j, k = 2…5: mean 10·4.5 + 3.5 + 3.5.
        Assert.Equal(52.0, double.Parse(d["diagnostics_Mask-corrected_Mean"], CultureInfo.InvariantCulture), 12);
        Assert.Equal("34.0", d["diagnostics_Mask-corrected_Minimum"]);
        Assert.Equal("70.0", d["diagnostics_Mask-corrected_Maximum"]);
    }
}
