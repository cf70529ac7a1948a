using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.PyRadiomics;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>How the extractor reads a label mask: the chosen label's bounding box among other labels, and an error
/// naming the voxel for a value that is no label.</summary>
public class MaskInputTests
{
    private const int Nx = 37, Ny = 9, Nz = 5; // a row length that is no multiple of the vector width

    private static (Volume Image, Volume Mask) Case(Action<float[]> paint)
    {
        var grid = Grid.Create(Nx, Ny, Nz, new Vec3(1, 1, 1));
        var image = new float[grid.Count];
        for (int n = 0; n < image.Length; n++) image[n] = n % 7;
        var mask = new float[grid.Count];
        paint(mask);
        return (new Volume(grid, image, PixelType.Int16), new Volume(grid, mask, PixelType.UInt8));
    }

    private static int At(int i, int j, int k) => i + Nx * (j + Ny * k);

    private static PyRadiomicsResult Extract(Volume image, Volume mask, int label) => PyRadiomicsExtractor.Extract(image, mask,
        PyRadiomicsParameters.Parse("imageType:\n  Original: {}\nfeatureClass:\n  firstorder: [Mean]\n", "test"), label);

    [Fact]
    public void The_chosen_label_is_boxed_among_others()
    {
        var (image, mask) = Case(m =>
        {
            for (int i = 0; i < Nx; i++) m[At(i, 1, 1)] = 1;      // label 1 along a whole row
            m[At(36, 2, 1)] = 2; m[At(33, 5, 3)] = 2;             // label 2 in the row tails (past the last full vector)
            m[At(3, 7, 2)] = 2.4f;                                // truncates to 2, as sitk.Cast does
            m[At(20, 4, 2)] = 3;
        });
        var diagnostics = Extract(image, mask, 2).Diagnostics.ToDictionary(d => d.Key, d => d.Value);
        Assert.Equal("(3, 2, 1, 34, 6, 3)", diagnostics["diagnostics_Mask-original_BoundingBox"]);
        Assert.Equal("3", diagnostics["diagnostics_Mask-original_VoxelNum"]);
    }

    [Fact]
    public void The_mask_is_read_as_PyRadiomics_casts_it_to_UInt32()
    {
        // sitk.Cast truncates: 1.7 is label 1, 0.99 is background; the hash is of the UInt32 array, whatever the stored type.
        var (image, mask) = Case(m =>
        {
            m[At(1, 1, 1)] = 1; m[At(2, 1, 1)] = 1.7f; m[At(2, 2, 1)] = 1.2f;
            m[At(3, 1, 1)] = 0.99f; m[At(1, 3, 1)] = 2;
        });
        var diagnostics = Extract(image, mask, 1).Diagnostics.ToDictionary(d => d.Key, d => d.Value);
        Assert.Equal("3", diagnostics["diagnostics_Mask-original_VoxelNum"]);
        Assert.Equal("(1, 1, 1, 2, 2, 1)", diagnostics["diagnostics_Mask-original_BoundingBox"]);

        var (_, uint8) = Case(m => { m[At(1, 1, 1)] = 1; m[At(2, 2, 1)] = 1; m[At(5, 6, 3)] = 3; });
        Assert.Equal(PixelType.UInt8, uint8.StoredType);
        var asUInt32 = Array.ConvertAll(uint8.Voxels, v => (uint)v);
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(asUInt32.AsSpan())));
        Assert.Equal(expected, Extract(image, uint8, 1).Diagnostics.Single(d => d.Key == "diagnostics_Mask-original_Hash").Value);
    }

    [Theory]
    [InlineData(-1f, 12, 3, 2)]
    [InlineData(float.NaN, 36, 8, 4)]  // the row tail
    [InlineData(-0.25f, 0, 0, 0)]
    public void A_value_that_is_no_label_is_an_error_naming_the_voxel(float value, int i, int j, int k)
    {
        var (image, mask) = Case(m => { m[At(1, 1, 1)] = 1; m[At(i, j, k)] = value; });
        var error = Assert.Throws<ImageFormatException>(() => Extract(image, mask, 1));
        Assert.Contains($"at voxel {At(i, j, k)}", error.Message);
    }

    [Fact]
    public void With_resampling_a_mask_on_its_own_grid_is_resampled_from_it_whatever_correctMask_says()
    {
        // PyRadiomics resamples image and mask onto a grid laid out from the mask's before it checks their geometry.
        // A mask on a sub-grid of the image: the same extraction as from the image cropped to that sub-grid
        // (nearest-neighbour interpolation, so the crop's edge cannot matter).
        var grid = Grid.Create(30, 28, 26, new Vec3(1, 1, 1.5));
        var random = new Random(5);
        var voxels = new float[grid.Count];
        for (int n = 0; n < voxels.Length; n++) voxels[n] = random.Next(200);
        var image = new Volume(grid, voxels, PixelType.Int16);
        var sub = new Box(5, 4, 3, 23, 21, 19);
        var subGrid = sub.SubGrid(grid);
        var labels = new float[subGrid.Count];
        for (int k = 0, n = 0; k < subGrid.Nz; k++)
            for (int j = 0; j < subGrid.Ny; j++)
                for (int i = 0; i < subGrid.Nx; i++, n++)
                    labels[n] = (i - 9) * (i - 9) + (j - 8) * (j - 8) + 2.25 * (k - 8) * (k - 8) <= 20 ? 1 : 0;
        var mask = new Volume(subGrid, labels, PixelType.UInt8);
        var parameters = PyRadiomicsParameters.Parse("setting:\n  resampledPixelSpacing: [2, 2, 2]\n  interpolator: sitkNearestNeighbor\n" +
            "imageType:\n  Original: {}\nfeatureClass:\n  shape:\n  firstorder:\n  glcm:\n  glszm:\n", "test");

        var fromImage = PyRadiomicsExtractor.Extract(image, mask, parameters);
        var fromCrop = PyRadiomicsExtractor.Extract(new Volume(subGrid, sub.Extract(grid, voxels), PixelType.Int16), mask, parameters);
        Assert.Equal(fromCrop.Features, fromImage.Features);
        var diagnostics = fromImage.Diagnostics.ToDictionary(d => d.Key, d => d.Value);
        Assert.DoesNotContain(diagnostics.Keys, k => k.Contains("corrected"));
        Assert.Equal(fromCrop.Diagnostics.Single(d => d.Key == "diagnostics_Image-interpolated_Size").Value,
            diagnostics["diagnostics_Image-interpolated_Size"]);
        // Without resampling the same pair is a geometry mismatch unless correctMask is on.
        Assert.Throws<GeometryMismatchException>(() => PyRadiomicsExtractor.Extract(image, mask,
            PyRadiomicsParameters.Parse("imageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n", "test")));
    }

    [Fact]
    public void A_one_slice_roi_has_the_same_texture_in_3D_as_with_force2D()
    {
        // PyRadiomics drops the empty out-of-plane angles, so a one-slice ROI's texture is its in-plane texture.
        var image = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_image.nrrd"));
        var mask = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_label.nrrd"));
        var g = mask.Grid;
        var slice = (float[])mask.Voxels.Clone();
        for (int n = 0; n < slice.Length; n++) if (n / (g.Nx * g.Ny) != 16) slice[n] = 0;
        var oneSlice = new Volume(g, slice, mask.StoredType);
        const string classes = "imageType:\n  Original: {}\nfeatureClass:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n";
        var threeD = PyRadiomicsExtractor.Extract(image, oneSlice, PyRadiomicsParameters.Parse(classes, "3D")).Features;
        var twoD = PyRadiomicsExtractor.Extract(image, oneSlice, PyRadiomicsParameters.Parse("setting:\n  force2D: true\n" + classes, "2D")).Features;
        Assert.Equal(75, threeD.Count);
        Assert.Equal(twoD.Select(f => f.Key), threeD.Select(f => f.Key));
        foreach (var ((name, a), (_, b)) in threeD.Zip(twoD))
            Assert.True(Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b)), $"{name}: 3-D {a:R}, force2D {b:R}");
    }

    [Fact]
    public void An_absent_label_is_an_empty_roi()
    {
        var (image, mask) = Case(m => m[At(1, 1, 1)] = 1);
        Assert.Throws<EmptyRoiException>(() => Extract(image, mask, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Extract(image, mask, 0));
    }
}
