using Habitat.Imaging;

namespace Habitat.Imaging.Tests;

public class GridTests
{
    private static readonly Grid Oblique = new(10, 20, 30, new Vec3(0.5, 0.8, 2.0), new Vec3(-10, 5, 3),
        Matrix3.FromColumns(new Vec3(0, 1, 0), new Vec3(-1, 0, 0), new Vec3(0, 0, 1)));

    [Fact]
    public void IndexAndPhysicalAreInverse()
    {
        var p = Oblique.IndexToPhysical(3, 7, 11);
        // i axis points along +y (L→P), j along -x, k along +z.
        Assert.Equal(-10 - 7 * 0.8, p.X, 12);
        Assert.Equal(5 + 3 * 0.5, p.Y, 12);
        Assert.Equal(3 + 11 * 2.0, p.Z, 12);
        var back = Oblique.PhysicalToIndex(p);
        Assert.True(back.ApproximatelyEquals(new Vec3(3, 7, 11), 1e-12));
    }

    [Fact]
    public void IndexIsXFastest() => Assert.Equal(3 + 10 * (7 + 20 * 11), Oblique.Index(3, 7, 11));

    [Fact]
    public void MatchesWithinToleranceAndDescribesDifferences()
    {
        var nudged = Oblique.WithOrigin(Oblique.Origin + new Vec3(1e-6, 0, 0));
        Assert.True(Oblique.Matches(nudged));
        var moved = Oblique.WithOrigin(Oblique.Origin + new Vec3(0.1, 0, 0));
        Assert.False(Oblique.Matches(moved));
        var e = Assert.Throws<GeometryMismatchException>(() => Oblique.EnsureMatches(moved, "image.nii", "mask.nii"));
        Assert.Contains("mask.nii", e.Message);
        Assert.Contains("origin", e.Message);
        Assert.Contains("size", Oblique.Describe(Oblique.WithSize(10, 20, 31)));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(-1, 1, 1)]
    [InlineData(1 << 12, 1 << 12, 1 << 8)]
    public void RejectsEmptyOrAbsurdSizes(int nx, int ny, int nz) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Grid.Create(nx, ny, nz, Vec3.One));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void RejectsNonPositiveSpacing(double s) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Grid.Create(2, 2, 2, new Vec3(1, s, 1)));

    [Fact]
    public void LabelVolumeCountsLabels()
    {
        var grid = Grid.Create(2, 2, 1, Vec3.One);
        var labels = LabelVolume.FromVolume(new Volume(grid, [0, 1, 1, 3]), "mem");
        Assert.Equal(new Dictionary<int, long> { [0] = 1, [1] = 2, [3] = 1 }, labels.CountByLabel());
        Assert.Equal(new byte[] { 0, 1, 1, 0 }, labels.MaskOf(1));
        Assert.Throws<ImageFormatException>(() => LabelVolume.FromVolume(new Volume(grid, [0, -1, 1, 3]), "mem"));
    }
}
