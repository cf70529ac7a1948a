using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Maps;

namespace Habitat.Radiomics.Tests.Maps;

public class CollageTests
{
    private static Volume Image(int nx, int ny, int nz, Func<int, int, int, double> value, Vec3? spacing = null)
    {
        var grid = Grid.Create(nx, ny, nz, spacing ?? Vec3.One);
        var voxels = new float[grid.Count];
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                    voxels[grid.Index(x, y, z)] = (float)value(x, y, z);
        return new Volume(grid, voxels);
    }

    private static byte[] Block(Grid grid, int x0, int x1, int y0, int y1, int z0, int z1)
    {
        var mask = new byte[grid.Count];
        for (int z = z0; z <= z1; z++)
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                    mask[grid.Index(x, y, z)] = 1;
        return mask;
    }

    private static double[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int n = 0; n < count; n++) values[n] = random.NextDouble() * 1000;
        return values;
    }

    [Theory]
    [InlineData(CollageDimension.TwoD)]
    [InlineData(CollageDimension.ThreeD)]
    public void LinearRampHasOneOrientationBinAndZeroEntropyInside(CollageDimension dimension)
    {
        var image = Image(30, 30, 6, (x, y, z) => 3 * x + 2 * y + 5 * z);
        var mask = Block(image.Grid, 8, 20, 9, 21, 1, 4);
        var result = Collage.Compute(image, mask, new CollageSettings { Dimension = dimension });

        var entropy = result.Map("collage.theta.entropy");
        var roi = entropy.RoiValues();
        Assert.Equal(13 * 13 * 4, roi.Length);
        Assert.All(roi, v => Assert.Equal(0, v));
        Assert.All(result.Map("collage.theta.energy").RoiValues(), v => Assert.Equal(1, v, 12));
        Assert.All(result.Map("collage.theta.contrast").RoiValues(), v => Assert.Equal(0, v));
        if (dimension == CollageDimension.ThreeD)
            Assert.All(result.Map("collage.phi.entropy").RoiValues(), v => Assert.Equal(0, v));
        else
            Assert.DoesNotContain(result.Maps, m => m.Name.StartsWith("collage.phi", StringComparison.Ordinal));
        Assert.True(float.IsNaN(entropy.At(7, 10, 2)));   // outside the ROI
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(75.0)]
    [InlineData(110.0)]
    [InlineData(160.0)]
    public void RampOrientationIsTheRampDirectionInPhysicalUnits(double degrees)
    {
        // anisotropic spacing: the gradient is (a/sx, b/sy) per mm, so its angle is that of (a/sx, b/sy), not (a, b)
        double alpha = degrees * Math.PI / 180, sx = 0.5, sy = 2;
        var image = Image(24, 24, 3, (x, y, z) => 100 * (Math.Cos(alpha) * x * sx + Math.Sin(alpha) * y * sy), new Vec3(sx, sy, 3));
        var box = new Box(6, 6, 1, 16, 16, 2);
        foreach (bool threeD in new[] { false, true })
        {
            var (theta, phi) = DominantOrientation.Compute(image, box, 2, threeD);
            Assert.All(theta, t => Assert.Equal(alpha % Math.PI, t, 5));
            if (phi is not null) Assert.All(phi, p => Assert.Equal(0, p, 6));
        }
        // rotating the ramp keeps its entropy (zero) and moves every θ by the rotation
        var mask = Block(image.Grid, 8, 12, 8, 12, 1, 1);
        Assert.All(Collage.Compute(image, mask, new CollageSettings()).Map("collage.theta.entropy").RoiValues(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void QuarterTurnOfTheImageShiftsThetaByHalfPiAndKeepsLabelFreeStatistics()
    {
        const int n = 28;
        var noise = Noise(n * n, 7);
        var image = Image(n, n, 1, (x, y, z) => noise[x + n * y]);
        // rotate by +90°: new(x', y') = old(y', n−1−x'); a direction at angle θ turns to θ + π/2
        var rotated = Image(n, n, 1, (x, y, z) => noise[y + n * (n - 1 - x)]);
        var settings = new CollageSettings { Dimension = CollageDimension.TwoD, Binning = OrientationBinning.FixedRange };
        var box = new Box(4, 4, 0, n - 4, n - 4, 1);
        var (theta, _) = DominantOrientation.Compute(image, box, 2, false);
        var (turned, _) = DominantOrientation.Compute(rotated, box, 2, false);
        for (int y = 4; y < n - 4; y++)
            for (int x = 4; x < n - 4; x++)
            {
                double before = theta[box.Index(y, n - 1 - x, 0)], after = turned[box.Index(x, y, 0)];
                double shift = (after - before + 2 * Math.PI) % Math.PI;
                Assert.Equal(Math.PI / 2, shift, 4);
            }

        // with fixed bins (G even) a quarter turn relabels bin b as (b + G/2) mod G: entropy and energy are unchanged
        var mask = Block(image.Grid, 9, 18, 9, 18, 0, 0);
        var rotatedMask = Block(image.Grid, 9, 18, 9, 18, 0, 0);
        var a = Collage.Compute(image, mask, settings);
        var b = Collage.Compute(rotated, rotatedMask, settings);
        foreach (var statistic in new[] { "entropy", "energy" })
            for (int y = 9; y <= 18; y++)
                for (int x = 9; x <= 18; x++)
                    Assert.Equal(a.Map($"collage.theta.{statistic}").At(y, n - 1 - x, 0), b.Map($"collage.theta.{statistic}").At(x, y, 0), 4);
    }

    [Fact]
    public void WhiteNoiseGivesEntropyNearTheWindowMaximum()
    {
        // w = 1: a 3×3 window holds 20 adjacent pairs = 40 matrix entries, so entropy ≤ log2(40) ≈ 5.32;
        // k = 1 keeps neighbouring orientations as independent as a shared neighbourhood allows
        const int n = 48;
        var noise = Noise(n * n * 3, 11);
        var image = Image(n, n, 3, (x, y, z) => noise[x + n * (y + n * z)]);
        var mask = Block(image.Grid, 4, n - 5, 4, n - 5, 1, 1);
        var settings = new CollageSettings { Dimension = CollageDimension.TwoD, OrientationRadius = 1, CooccurrenceRadius = 1 };
        var entropy = Collage.Compute(image, mask, settings).Map("collage.theta.entropy").RoiValues();
        double mean = entropy.Average(), max = Math.Log2(40);
        Assert.All(entropy, v => Assert.InRange(v, 0, max + 1e-9));
        Assert.True(mean > 0.9 * max, $"mean entropy {mean} is not near the maximum {max}");
    }

    [Fact]
    public void NegatingTheImageLeavesEveryStatisticUnchanged()
    {
        var noise = Noise(20 * 20 * 5, 3);
        var image = Image(20, 20, 5, (x, y, z) => noise[x + 20 * (y + 20 * z)]);
        var negated = image.WithVoxels(image.Voxels.Select(v => -v).ToArray());
        var mask = Block(image.Grid, 5, 14, 4, 15, 1, 3);
        var a = Collage.Compute(image, mask, new CollageSettings());
        var b = Collage.Compute(negated, mask, new CollageSettings());
        Assert.Equal(a.Maps.Count, b.Maps.Count);
        for (int m = 0; m < a.Maps.Count; m++) Assert.Equal(a.Maps[m].Values, b.Maps[m].Values);
    }

    [Fact]
    public void AxisAnglesDoNotDependOnTheEigenvectorSign()
    {
        var random = new Random(5);
        for (int n = 0; n < 1000; n++)
        {
            double x = random.NextDouble() - 0.5, y = random.NextDouble() - 0.5, z = random.NextDouble() - 0.5;
            var plus = DominantOrientation.AxisAngles(x, y, z);
            var minus = DominantOrientation.AxisAngles(-x, -y, -z);
            Assert.Equal(plus, minus);
            Assert.InRange(plus.Theta, 0, Math.PI);
            Assert.True(plus.Theta < Math.PI);
            Assert.InRange(plus.Phi, -Math.PI / 2, Math.PI / 2);
        }
    }

    [Fact]
    public void PrincipalEigenvectorSolvesTheEigenproblem()
    {
        var random = new Random(9);
        for (int n = 0; n < 500; n++)
        {
            // S = Σ g gᵀ of a few random vectors: symmetric positive semi-definite like a structure tensor
            double xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
            for (int g = 0; g < 4; g++)
            {
                double a = random.NextDouble() - 0.5, b = random.NextDouble() - 0.5, c = random.NextDouble() - 0.5;
                xx += a * a; xy += a * b; xz += a * c; yy += b * b; yz += b * c; zz += c * c;
            }
            var (vx, vy, vz) = DominantOrientation.PrincipalEigenvector(xx, xy, xz, yy, yz, zz);
            Assert.Equal(1, vx * vx + vy * vy + vz * vz, 10);
            double sx = xx * vx + xy * vy + xz * vz, sy = xy * vx + yy * vy + yz * vz, sz = xz * vx + yz * vy + zz * vz;
            double lambda = vx * sx + vy * sy + vz * sz;
            Assert.Equal(lambda * vx, sx, 10);
            Assert.Equal(lambda * vy, sy, 10);
            Assert.Equal(lambda * vz, sz, 10);
            // the largest eigenvalue: no unit vector has a larger Rayleigh quotient (power iteration from v gains nothing)
            double trace = xx + yy + zz;
            Assert.True(lambda >= trace / 3 - 1e-12);
        }
    }

    [Fact]
    public void TwoDimensionalSliceEqualsThreeDimensionalThetaForAnImageConstantAlongZ()
    {
        const int n = 26;
        var noise = Noise(n * n, 21);
        var volume = Image(n, n, 5, (x, y, z) => noise[x + n * y]);
        var slice = Image(n, n, 1, (x, y, z) => noise[x + n * y]);
        var volumeMask = Block(volume.Grid, 6, 19, 5, 20, 1, 3);
        var sliceMask = Block(slice.Grid, 6, 19, 5, 20, 0, 0);
        var threeD = Collage.Compute(volume, volumeMask, new CollageSettings { Dimension = CollageDimension.ThreeD });
        var twoD = Collage.Compute(slice, sliceMask, new CollageSettings { Dimension = CollageDimension.TwoD });
        foreach (var name in HaralickStatistics.Names)
        {
            var a = twoD.Map($"collage.theta.{name}");
            var b = threeD.Map($"collage.theta.{name}");
            for (int z = 1; z <= 3; z++)
                for (int y = 5; y <= 20; y++)
                    for (int x = 6; x <= 19; x++)
                        Assert.Equal(a.At(x, y, 0), b.At(x, y, z), 5);
        }
        // φ is 0 everywhere (no gradient along z), so it falls into a single bin
        Assert.All(threeD.Map("collage.phi.entropy").RoiValues(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void SummariesAreNamedPerMapAndStatistic()
    {
        var noise = Noise(16 * 16 * 4, 1);
        var image = Image(16, 16, 4, (x, y, z) => noise[x + 16 * (y + 16 * z)]);
        var mask = Block(image.Grid, 4, 11, 4, 11, 1, 2);
        var features = Collage.Compute(image, mask, new CollageSettings()).Summaries();
        Assert.Equal(2 * 13 * 6, features.Count);
        Assert.Contains(features, f => f.Tag == "collage.theta.entropy.median");
        Assert.Contains(features, f => f.Tag == "collage.phi.difference_entropy.iqr");
        Assert.All(features, f => Assert.True(double.IsFinite(f.Value), f.Tag));
    }

    [Fact]
    public void SlidingWindowMatchesTheMatrixBuiltFromScratchAtEveryVoxel()
    {
        // an irregular ROI touching the image border, so windows are clipped and rows have gaps
        const int n = 18;
        var noise = Noise(n * n * 3, 13);
        var image = Image(n, n, 3, (x, y, z) => noise[x + n * (y + n * z)]);
        var mask = new byte[image.Grid.Count];
        var random = new Random(2);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < 0.4 ? (byte)1 : (byte)0;
        var settings = new CollageSettings { Dimension = CollageDimension.TwoD, Bins = 8, CooccurrenceRadius = 2 };
        var result = Collage.Compute(image, mask, settings);

        var box = Box.Bounding(image.Grid, mask).Grow(image.Grid, settings.CooccurrenceRadius, settings.CooccurrenceRadius, 0);
        var (theta, _) = DominantOrientation.Compute(image, box, settings.OrientationRadius, false);
        var bins = Collage.Quantise(theta, 0, Math.PI, settings);
        var matrix = new SparseCooccurrence(settings.Bins);
        var statistics = new HaralickStatistics(settings.Bins);
        var expected = new double[HaralickStatistics.Count];
        int w = settings.CooccurrenceRadius, checkedVoxels = 0;
        for (int z = 0; z < n; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                {
                    if (z >= 3 || mask[image.Grid.Index(x, y, z)] == 0) continue;
                    matrix.Clear();
                    // every unordered pair of window voxels at Chebyshev distance 1, each once
                    for (int ay = y - w; ay <= y + w; ay++)
                        for (int ax = x - w; ax <= x + w; ax++)
                            foreach (var (dx, dy) in new[] { (1, 0), (0, 1), (1, 1), (-1, 1) })
                            {
                                int bx = ax + dx, by = ay + dy;
                                if (!InWindow(ax, ay) || !InWindow(bx, by)) continue;
                                matrix.Add(bins[box.Index(ax, ay, z)], bins[box.Index(bx, by, z)]);
                            }
                    statistics.Compute(matrix, expected);
                    for (int s = 0; s < expected.Length; s++)
                        Assert.Equal(expected[s], result.Map($"collage.theta.{HaralickStatistics.Names[s]}").At(x, y, z), 1e-6 * Math.Max(1, Math.Abs(expected[s])));
                    checkedVoxels++;

                    bool InWindow(int px, int py) =>
                        px >= x - w && px <= x + w && py >= y - w && py <= y + w && box.Contains(px, py, z);
                }
        Assert.True(checkedVoxels > 300);
    }
}
