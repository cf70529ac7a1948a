using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

/// <summary>The PyRadiomics test images (shared/reference/pyradiomics/README.md).</summary>
public class PyRadiomicsImageTests
{
    [Fact]
    public void Brain1IsReadWithItsGeometryAndLesionSize()
    {
        var pair = ImageLoader.ReadImageAndMask(
            ReferenceData.Path("pyradiomics", "brain1_image.nrrd"), ReferenceData.Path("pyradiomics", "brain1_label.nrrd"));
        var g = pair.Image.Grid;
        Assert.Equal((256, 256, 25), (g.Nx, g.Ny, g.Nz));
        Assert.True(g.Spacing.ApproximatelyEquals(new Vec3(0.78125, 0.78125, 6.5), 1e-9), g.Spacing.ToString());
        // The header's space directions: +x, -y, +z in LPS.
        Assert.True(g.Direction.ApproximatelyEquals(new Matrix3(1, 0, 0, 0, -1, 0, 0, 0, 1), 1e-12));
        Assert.True(g.Origin.ApproximatelyEquals(new Vec3(-99.609375, 99.609375, -78), 1e-9));
        Assert.Equal(PixelType.Int16, pair.Image.StoredType);
        Assert.Equal(PixelType.Int32, ImageFile.Read(pair.MaskPath).StoredType);
        Assert.Equal(4137, pair.Mask.CountByLabel()[1]);
    }

    [Theory]
    [InlineData("brain2", 256, 256, 23, 453)]
    [InlineData("breast1", 45, 120, 21, 143)]
    public void OtherImagesRead(string name, int nx, int ny, int nz, int lesionVoxels)
    {
        var pair = ImageLoader.ReadImageAndMask(
            ReferenceData.Path("pyradiomics", name + "_image.nrrd"), ReferenceData.Path("pyradiomics", name + "_label.nrrd"));
        Assert.Equal((nx, ny, nz), (pair.Image.Grid.Nx, pair.Image.Grid.Ny, pair.Image.Grid.Nz));
        Assert.Equal(lesionVoxels, pair.Mask.CountByLabel()[1]);
        var (min, max) = pair.Image.Range();
        Assert.True(max > min);
    }

    [Fact]
    public void NrrdToNiftiToNrrdKeepsValuesAndGeometry()
    {
        using var dir = new TempDir();
        var original = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_image.nrrd"));
        ImageFile.Write(original, dir.File("brain1.nii.gz"));
        var viaNifti = ImageFile.Read(dir.File("brain1.nii.gz"));
        ImageFile.Write(viaNifti, dir.File("brain1.nrrd"));
        var back = ImageFile.Read(dir.File("brain1.nrrd"));
        Assert.Equal(original.StoredType, back.StoredType);
        Assert.Equal(original.Voxels, back.Voxels);
        // NIfTI stores geometry as float32: equal within float precision of ~100 mm coordinates.
        Assert.Null(original.Grid.Describe(viaNifti.Grid, 1e-5));
        Assert.Null(original.Grid.Describe(back.Grid, 1e-5));
    }

    [Fact]
    public void MismatchedImageAndMaskNameBothFiles()
    {
        var image = ReferenceData.Path("pyradiomics", "brain1_image.nrrd");
        var mask = ReferenceData.Path("pyradiomics", "breast1_label.nrrd");
        var e = Assert.Throws<GeometryMismatchException>(() => ImageLoader.ReadImageAndMask(image, mask));
        Assert.Contains("brain1_image.nrrd", e.Message);
        Assert.Contains("breast1_label.nrrd", e.Message);
    }
}
