using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

/// <summary>The IBSI 1 phantom facts listed in shared/reference/ibsi1/README.md (measured there with nibabel).</summary>
public class IbsiPhantomReadingTests
{
    private static double Mean(float[] v) { double s = 0; foreach (var x in v) s += x; return s / v.Length; }

    [Fact]
    public void DigitalPhantomImage()
    {
        var v = ImageFile.Read(ReferenceData.Path("ibsi1", "digital_phantom", "image.nii.gz"));
        Assert.Equal((5, 4, 4), (v.Grid.Nx, v.Grid.Ny, v.Grid.Nz));
        Assert.Equal(new Vec3(2, 2, 2), v.Grid.Spacing);
        Assert.Equal(PixelType.Int16, v.StoredType);
        // RAS affine diag(-2, -2, 2) at the origin is the identity direction in LPS.
        Assert.True(v.Grid.Direction.ApproximatelyEquals(Matrix3.Identity, 1e-6));
        Assert.True(v.Grid.Origin.ApproximatelyEquals(Vec3.Zero, 1e-6));
        Assert.Equal((1f, 9f), v.Range());
        Assert.Equal(2.1625, Mean(v.Voxels), 6);
    }

    [Fact]
    public void DigitalPhantomMaskHas74Voxels()
    {
        var mask = ImageFile.ReadLabels(ReferenceData.Path("ibsi1", "digital_phantom", "mask.nii.gz"));
        var counts = mask.CountByLabel();
        Assert.Equal([0, 1], counts.Keys);
        Assert.Equal(74, counts[1]);
    }

    [Fact]
    public void CtPhantomImageAndMask()
    {
        var pair = ImageLoader.ReadImageAndMask(
            ReferenceData.Path("ibsi1", "ct_phantom", "image.nii.gz"), ReferenceData.Path("ibsi1", "ct_phantom", "mask.nii.gz"));
        var g = pair.Image.Grid;
        Assert.Equal((204, 201, 60), (g.Nx, g.Ny, g.Nz));
        Assert.Equal(0.977, g.Spacing.X, 3);
        Assert.Equal(0.977, g.Spacing.Y, 3);
        Assert.Equal(3.0, g.Spacing.Z, 6);
        Assert.Equal(PixelType.Float32, pair.Image.StoredType);
        // RAS origin (174.3945, 79.6255, -100.4) → LPS (-174.3945, -79.6255, -100.4); RAS diag(-,-,+) → LPS identity.
        Assert.True(g.Origin.ApproximatelyEquals(new Vec3(-174.3945, -79.6255, -100.4), 1e-3), g.Origin.ToString());
        Assert.True(g.Direction.ApproximatelyEquals(Matrix3.Identity, 1e-6));
        Assert.Equal((-1000f, 3065f), pair.Image.Range());
        Assert.Equal(-266.4704, Mean(pair.Image.Voxels), 3);
        Assert.Equal(125256, pair.Mask.CountByLabel()[1]);
    }
}
