using Habitat.Imaging;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Maps;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Tests.Maps;

public class VoxelwiseMapsTests
{
    private const int Nx = 14, Ny = 12, Nz = 7;

    /// <summary>Random intensities with levels 1…8 (level = intensity bin); with a mask, levels are 0 outside it.</summary>
    private static KernelImage RandomImage(int seed, byte[]? kernelMask = null)
    {
        var grid = Grid.Create(Nx, Ny, Nz, new Vec3(0.8, 0.8, 2));
        var random = new Random(seed);
        var intensities = new float[grid.Count];
        var levels = new int[grid.Count];
        for (int n = 0; n < grid.Count; n++)
        {
            intensities[n] = (float)(random.NextDouble() * 800 - 100);
            levels[n] = kernelMask is null || kernelMask[n] != 0 ? 1 + (int)((intensities[n] + 100) / 100) : 0;
        }
        return new KernelImage(grid, intensities, levels, 8);
    }

    private static byte[] RandomMask(int seed, double fraction)
    {
        var random = new Random(seed);
        var mask = new byte[Nx * Ny * Nz];
        for (int n = 0; n < mask.Length; n++) mask[n] = random.NextDouble() < fraction ? (byte)1 : (byte)0;
        return mask;
    }

    private static IEnumerable<(int X, int Y, int Z)> Kernel(int x, int y, int z, int r)
    {
        for (int c = Math.Max(0, z - r); c <= Math.Min(Nz - 1, z + r); c++)
            for (int b = Math.Max(0, y - r); b <= Math.Min(Ny - 1, y + r); b++)
                for (int a = Math.Max(0, x - r); a <= Math.Min(Nx - 1, x + r); a++)
                    yield return (a, b, c);
    }

    [Fact]
    public void FirstOrderMeanWithA3x3x3KernelIsABoxFilter()
    {
        var image = RandomImage(1);
        var everywhere = Enumerable.Repeat((byte)1, image.Grid.Count).ToArray();
        var map = VoxelwiseMaps.Compute(image, everywhere, ["stat.mean"], radius: 1).Single();
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                {
                    // box filter, normalised over the voxels inside the image at the border
                    var kernel = Kernel(x, y, z, 1).Select(p => (double)image.Intensities[image.Grid.Index(p.X, p.Y, p.Z)]).ToArray();
                    Assert.Equal(kernel.Average(), map.At(x, y, z), 1e-3);
                }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MaskedFirstOrderStatisticsMatchTheKernelComputedDirectly(int radius)
    {
        var mask = RandomMask(3, 0.6);
        var image = RandomImage(2, mask);
        var maps = VoxelwiseMaps.Compute(image, mask, VoxelwiseMaps.FirstOrderFeatures, radius);
        int checkedVoxels = 0;
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                {
                    if (mask[image.Grid.Index(x, y, z)] == 0) { Assert.True(float.IsNaN(maps[0].At(x, y, z))); continue; }
                    var inside = Kernel(x, y, z, radius).Select(p => image.Grid.Index(p.X, p.Y, p.Z)).Where(n => mask[n] != 0).ToArray();
                    var values = inside.Select(n => (double)image.Intensities[n]).ToArray();
                    double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
                    double entropy = -inside.GroupBy(n => image.Levels[n]).Select(g => (double)g.Count() / inside.Length).Sum(p => p * Math.Log2(p));
                    Assert.Equal(mean, maps[0].At(x, y, z), 1e-3);
                    Assert.Equal(variance, maps[1].At(x, y, z), Math.Max(1e-3, 1e-6 * variance));
                    Assert.Equal(entropy, maps[2].At(x, y, z), 1e-5);
                    checkedVoxels++;
                }
        Assert.True(checkedVoxels > 500);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void GlcmMapAtEachVoxelEqualsTheRoiFeatureOfItsKernel(bool merged, int radius)
    {
        var mask = RandomMask(5, 0.7);
        var image = RandomImage(4, mask);
        var maps = VoxelwiseMaps.Compute(image, mask, VoxelwiseMaps.GlcmFeatures, radius, mergeGlcmDirections: merged);
        var options = new TextureOptions
        {
            Families = [TextureFamily.Glcm],
            Aggregations = [merged ? TextureAggregation.ThreeDMerged : TextureAggregation.ThreeDAveraged],
        };
        var random = new Random(6);
        int checkedVoxels = 0;
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                {
                    if (mask[image.Grid.Index(x, y, z)] == 0 || random.NextDouble() > 0.3) continue;
                    // the kernel's voxels as a ROI of their own, through the ROI-level GLCM family
                    var levels = new int[image.Grid.Count];
                    foreach (var (a, b, c) in Kernel(x, y, z, radius))
                        levels[image.Grid.Index(a, b, c)] = image.Levels[image.Grid.Index(a, b, c)];
                    var inside = levels.Select(l => l > 0 ? (byte)1 : (byte)0).ToArray();
                    var expected = new List<Feature>();
                    TextureFamilies.ComputeAll(new DiscretisedRoi(image.Grid, levels, image.LevelCount, inside), options, expected);
                    Assert.Equal(maps.Count, expected.Count);
                    for (int f = 0; f < maps.Count; f++)
                    {
                        Assert.Equal(expected[f].Tag, maps[f].Name);
                        double value = expected[f].Value;
                        float actual = maps[f].At(x, y, z);
                        if (double.IsNaN(value)) Assert.True(float.IsNaN(actual), maps[f].Name);
                        else Assert.Equal(value, actual, 1e-5 * Math.Max(1, Math.Abs(value)));
                    }
                    checkedVoxels++;
                }
        Assert.True(checkedVoxels > 150);
    }

    [Fact]
    public void UnknownFeaturesAndBadRadiiAreRefused()
    {
        var image = RandomImage(1);
        var everywhere = Enumerable.Repeat((byte)1, image.Grid.Count).ToArray();
        Assert.Throws<ArgumentException>(() => VoxelwiseMaps.Compute(image, everywhere, ["cm.nonsense"], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VoxelwiseMaps.Compute(image, everywhere, ["stat.mean"], 0));
    }
}

public class KernelImageTests
{
    [Fact]
    public void UnmaskedKernelsDiscretiseEveryVoxelWithTheRoiRange()
    {
        var grid = Grid.Create(4, 1, 1, Vec3.One);
        var image = new Volume(grid, [0f, 10f, 20f, 40f]);
        byte[] roi = [0, 1, 1, 0];
        var fixedNumber = new Radiomics.Settings.DiscretisationSettings(Radiomics.Settings.DiscretisationMethod.FixedBinNumber, null, 4);
        var masked = KernelImage.Discretise(image, roi, fixedNumber, new(), maskedKernel: true);
        Assert.Equal([0, 1, 4, 0], masked.Levels);
        var unmasked = KernelImage.Discretise(image, roi, fixedNumber, new(), maskedKernel: false);
        Assert.Equal([1, 1, 4, 4], unmasked.Levels);   // outside the ROI's range [10, 20]: clamped
        Assert.Equal(4, unmasked.LevelCount);
        var fixedSize = new Radiomics.Settings.DiscretisationSettings(Radiomics.Settings.DiscretisationMethod.FixedBinSize, 5, null);
        var sized = KernelImage.Discretise(image, roi, fixedSize, new(), maskedKernel: false);
        Assert.Equal([1, 1, 3, 7], sized.Levels);
        Assert.Equal(7, sized.LevelCount);
    }
}
