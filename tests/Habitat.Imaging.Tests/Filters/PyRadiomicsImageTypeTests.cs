using Habitat.Imaging.Filters;
using Xunit.Abstractions;

namespace Habitat.Imaging.Tests.Filters;

public class PyRadiomicsImageTypeTests(ITestOutputHelper output)
{
    static Volume Field(int nx, int ny, int nz, Vec3 spacing, Func<double, double, double, double> f)
    {
        var grid = Grid.Create(nx, ny, nz, spacing);
        var v = new float[grid.Count];
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                    v[grid.Index(i, j, k)] = (float)f(i * spacing.X, j * spacing.Y, k * spacing.Z);
        return new Volume(grid, v);
    }

    [Fact]
    public void RecursiveLogOfAQuadraticIsSixSigmaSquaredInsideTheImage()
    {
        // f = |p − c|² (mm²) has Laplacian 6, so the scale-normalised LoG is 6σ² away from the borders.
        var spacing = new Vec3(0.8, 1.0, 1.5);
        var image = Field(60, 50, 40, spacing, (x, y, z) => (x - 24) * (x - 24) + (y - 25) * (y - 25) + (z - 30) * (z - 30));
        double sigma = 2;
        var log = LaplacianOfGaussian.PyRadiomics(image, sigma);
        double centre = log[30, 25, 20];
        output.WriteLine($"LoG at centre {centre}, expected {6 * sigma * sigma}");
        Assert.InRange(centre, 6 * sigma * sigma * 0.99, 6 * sigma * sigma * 1.01);
    }

    [Fact]
    public void RecursiveLogAgreesWithTheSampledKernelOnASmoothBlob()
    {
        // A Gaussian blob (σ_b = 4 mm) on 1 mm voxels: the recursive (Deriche) and the sampled-kernel LoG differ only by
        // the recursive approximation error. The sampled LoG is in voxel units, so σ² (mm², spacing 1) rescales it.
        var image = Field(48, 48, 48, new Vec3(1, 1, 1), (x, y, z) => 1000 * Math.Exp(-((x - 24) * (x - 24) + (y - 24) * (y - 24) + (z - 24) * (z - 24)) / 32.0));
        foreach (double sigma in new[] { 1.0, 2.0, 3.0 })
        {
            var recursive = LaplacianOfGaussian.PyRadiomics(image, sigma).Voxels;
            var sampled = LaplacianOfGaussian.Apply(image, sigma, BoundaryMode.Nearest).Voxels;
            double worst = 0, range = 0;
            for (int n = 0; n < sampled.Length; n++)
            {
                worst = Math.Max(worst, Math.Abs(recursive[n] - sigma * sigma * sampled[n]));
                range = Math.Max(range, Math.Abs(sigma * sigma * sampled[n]));
            }
            output.WriteLine($"σ = {sigma} mm: max |recursive − sampled| = {worst:G4} ({100 * worst / range:F3} % of max |LoG|)");
            Assert.True(worst < 0.01 * range, $"σ = {sigma}: recursive and sampled LoG differ by {worst} (max |LoG| {range})");
        }
    }

    [Fact]
    public void WaveletBandsAreATightFrame()
    {
        // Orthonormal filters with periodic boundaries: each axis splits the energy as |L|² + |H|² = 2, so the 8 bands
        // together hold 8× the image's energy (even sizes, so no wrap padding).
        var random = new Random(7);
        var image = Field(10, 12, 8, new Vec3(1, 1, 2), (_, _, _) => random.NextDouble());
        foreach (var wavelet in new[] { "haar", "db2", "db3", "db4", "sym4", "coif1" })
        {
            var bands = Wavelets.PyRadiomics(image, wavelet);
            Assert.Equal(8, bands.Count);
            double energy = bands.Sum(b => b.Image.Voxels.Sum(v => (double)v * v));
            double input = image.Voxels.Sum(v => (double)v * v);
            Assert.Equal(8 * input, energy, 8 * input * 1e-5);
        }
    }

    [Fact]
    public void WaveletNamesAndHaarAlignmentFollowPyWavelets()
    {
        // pywt.swt (periodization) with haar: cA[i] = (x[i] + x[i+1]) / √2, cD[i] = (x[i] − x[i+1]) / √2, x wrapping.
        var image = Field(5, 4, 4, new Vec3(1, 1, 1), (x, y, z) => x * x + 10 * y + 100 * z);
        var bands = Wavelets.PyRadiomics(image, "haar");
        Assert.Equal(["wavelet-LLH", "wavelet-LHL", "wavelet-LHH", "wavelet-HLL", "wavelet-HLH", "wavelet-HHL", "wavelet-HHH", "wavelet-LLL"],
            bands.Select(b => b.Name));
        var hll = bands.Single(b => b.Name == "wavelet-HLL").Image;
        // Along x the odd size 5 is padded with x[0]; HLL is the x-detail of the y/z-smoothed image (constant in y, z here up to 2×).
        // For a function of x only plus terms in y and z, the detail along x cancels the y and z terms.
        double[] row = [0, 1, 4, 9, 16, 0];
        for (int i = 0; i < 5; i++)
            Assert.Equal(2 * (row[i] - row[i + 1]) / Math.Sqrt(2), hll[i, 1, 1], 3);
        Assert.Equal(image.Grid, hll.Grid);
    }

    [Fact]
    public void WaveletBandsOfARegionEqualTheWholeImageBandsThere()
    {
        // The region touches the image's x start (so x is transformed whole, wrap included) and lies inside in y and z
        // (transformed on a window): both must give exactly the whole-image values, for one and for two levels.
        var random = new Random(11);
        var image = Field(21, 30, 27, new Vec3(1, 1, 2), (_, _, _) => random.Next(0, 1000));
        var region = new Habitat.Imaging.Processing.Box(0, 9, 10, 7, 17, 16);
        foreach (var (wavelet, levels, start) in new[] { ("coif1", 1, 0), ("haar", 2, 0), ("db2", 1, 1) })
        {
            var whole = Wavelets.PyRadiomics(image, wavelet, levels, start);
            var part = Wavelets.PyRadiomics(image, wavelet, levels, start, null, region);
            Assert.Equal(whole.Select(b => b.Name), part.Select(b => b.Name));
            for (int b = 0; b < whole.Count; b++)
            {
                Assert.Equal(region.SubGrid(image.Grid), part[b].Image.Grid);
                Assert.Equal(region.Extract(image.Grid, whole[b].Image.Voxels), part[b].Image.Voxels);
            }
        }
    }

    [Fact]
    public void RecursiveLogOfARegionMatchesTheWholeImageThere()
    {
        // The recursive filter's response decays as exp(−1.37 d/σ): beyond the 16σ margin it is far below float rounding.
        var random = new Random(5);
        var image = Field(90, 80, 30, new Vec3(0.8, 0.8, 3), (_, _, _) => random.Next(0, 1000));
        var region = new Habitat.Imaging.Processing.Box(40, 30, 10, 52, 41, 18);
        foreach (double sigma in new[] { 1.0, 2.0 })
        {
            var whole = region.Extract(image.Grid, LaplacianOfGaussian.PyRadiomics(image, sigma).Voxels);
            var part = LaplacianOfGaussian.PyRadiomics(image, sigma, region);
            Assert.Equal(region.SubGrid(image.Grid), part.Grid);
            double worst = 0, range = 0;
            for (int n = 0; n < whole.Length; n++)
            {
                worst = Math.Max(worst, Math.Abs(whole[n] - part.Voxels[n]));
                range = Math.Max(range, Math.Abs(whole[n]));
            }
            output.WriteLine($"σ = {sigma} mm: max |region − whole| = {worst:G3}, max |LoG| = {range:G4}");
            Assert.True(worst <= 1e-6 * range, $"σ = {sigma}: region and whole-image LoG differ by {worst} (max |LoG| {range})");
        }
    }

    [Fact]
    public void GradientOfALinearRampIsItsSlopeInMm()
    {
        var image = Field(10, 10, 10, new Vec3(0.5, 2, 1), (x, y, z) => 3 * x + 4 * y);
        var gradient = GradientMagnitude.Apply(image);
        Assert.Equal(5, gradient[5, 5, 5], 4);
        // At the border ITK repeats the edge voxel, halving the central difference.
        Assert.Equal(Math.Sqrt(1.5 * 1.5 + 16), gradient[0, 5, 5], 4);
    }

    [Fact]
    public void UniformLbpCountsNeighboursAtOrAboveTheCentre()
    {
        // An axial slice with a single bright voxel: its 8 neighbours are all darker (code 0); a neighbour of it sees the
        // bright sample and otherwise equal values, all ≥ its centre (code 8).
        var image = Field(7, 7, 1, new Vec3(1, 1, 1), (x, y, _) => x == 3 && y == 3 ? 10 : 0);
        var lbp = LocalBinaryPattern.PyRadiomics2D(image);
        Assert.Equal(0, lbp[3, 3, 0]);
        Assert.Equal(8, lbp[3, 2, 0]);
        // The image corner: samples outside are 0 = centre → all ≥ → 8.
        Assert.Equal(8, lbp[0, 0, 0]);
    }
}
