using System.Numerics;
using Habitat.Imaging.Filters;
using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Tests.Filters;

public class LocalBinaryPattern3DTests
{
    static Volume Field(int n, PixelType type, Func<int, int, int, double> f)
    {
        var grid = Grid.Create(n, n, n, new Vec3(0.7, 0.9, 2.5));
        var v = new float[grid.Count];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                    v[grid.Index(i, j, k)] = (float)f(i, j, k);
        return new Volume(grid, v, type);
    }

    static Box Voxel(int i, int j, int k) => new(i, j, k, i + 1, j + 1, k + 1);

    /// <summary>Degree-1 energy from the closed forms of Y_1m with PyRadiomics' angles (θ = arccos(z/R) in scipy's
    /// azimuth slot, φ = atan2(y, x) in its polar slot), independent of the filter's Legendre recursion.</summary>
    static double DegreeOneEnergy(Vec3[] vertices, double radius, Func<Vec3, bool> above)
    {
        Complex[] Y(Vec3 v)
        {
            double theta = Math.Acos(v.Z / radius), phi = Math.Atan2(v.Y, v.X);
            double sine = Math.Abs(Math.Sin(phi));
            return [Math.Sqrt(3 / (8 * Math.PI)) * sine * Complex.FromPolarCoordinates(1, -theta),
                    Math.Sqrt(3 / (4 * Math.PI)) * Math.Cos(phi),
                    -Math.Sqrt(3 / (8 * Math.PI)) * sine * Complex.FromPolarCoordinates(1, theta)];
        }
        var c = new Complex[3];
        foreach (var v in vertices)
            if (above(v)) { var y = Y(v); for (int m = 0; m < 3; m++) c[m] += y[m]; }
        var squares = Complex.Zero;
        foreach (var v in vertices)
        {
            var y = Y(v);
            var g = c[0] * y[0] + c[1] * y[1] + c[2] * y[2];
            squares += g * g;
        }
        return Complex.Sqrt(squares).Real;
    }

    [Theory]
    [InlineData(0, 12)]
    [InlineData(1, 42)]
    [InlineData(2, 162)]
    public void IcosphereHasTrimeshVertexCountsOnTheSphere(int subdivision, int count)
    {
        var vertices = LocalBinaryPattern3D.Icosphere(subdivision, 2.5);
        Assert.Equal(count, vertices.Length);
        Assert.All(vertices, v => Assert.Equal(2.5, Math.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z), 12));
        // Distinct vertices, symmetric about the origin.
        Assert.All(vertices, v => Assert.Single(vertices, w => Math.Abs(w.X - v.X) + Math.Abs(w.Y - v.Y) + Math.Abs(w.Z - v.Z) < 1e-9));
        Assert.All(vertices, v => Assert.Contains(vertices, w => Math.Abs(w.X + v.X) + Math.Abs(w.Y + v.Y) + Math.Abs(w.Z + v.Z) < 1e-9));
    }

    [Fact]
    public void ConstantImageInsideGivesTheAllOnesPatternAndNaNKurtosis()
    {
        var image = Field(9, PixelType.Int16, (_, _, _) => 100);
        var lbp = LocalBinaryPattern3D.PyRadiomics(image, Voxel(4, 4, 4));
        var vertices = LocalBinaryPattern3D.Icosphere(1, 1);
        Assert.Equal(Math.Sqrt(42) * 42 / (4 * Math.PI), lbp.Energies[0].Voxels[0], 5);
        Assert.Equal(DegreeOneEnergy(vertices, 1, _ => true), lbp.Energies[1].Voxels[0], 5);
        Assert.True(float.IsNaN(lbp.Kurtosis.Voxels[0]));
    }

    [Fact]
    public void CornerVoxelSeesZeroOutsideTheImage()
    {
        // map_coordinates' constant mode: a neighbour with a negative coordinate reads 0 < centre.
        var image = Field(6, PixelType.Int16, (_, _, _) => 100);
        var lbp = LocalBinaryPattern3D.PyRadiomics(image, Voxel(0, 0, 0), levels: 2, radius: 1.5);
        var vertices = LocalBinaryPattern3D.Icosphere(1, 1.5);
        static bool Inside(Vec3 v) => v.X >= 0 && v.Y >= 0 && v.Z >= 0;
        int inside = vertices.Count(Inside);
        Assert.InRange(inside, 1, 41);
        Assert.Equal(Math.Sqrt(42) * inside / (4 * Math.PI), lbp.Energies[0].Voxels[0], 5);
        Assert.Equal(DegreeOneEnergy(vertices, 1.5, Inside), lbp.Energies[1].Voxels[0], 5);
    }

    [Fact]
    public void LinearRampSplitsTheSphereByTheGradientPlane()
    {
        // f = 4k + 2j + i (array order z, y, x): the cubic spline reproduces it away from the edges, so sample − centre
        // = 4 v₀ + 2 v₁ + v₂ for vertex v (its first component moves along z, its last along x).
        var image = Field(40, PixelType.Float64, (i, j, k) => 4 * k + 2 * j + i);
        var lbp = LocalBinaryPattern3D.PyRadiomics(image, Voxel(20, 20, 20));
        var vertices = LocalBinaryPattern3D.Icosphere(1, 1);
        static double Rise(Vec3 v) => 4 * v.X + 2 * v.Y + v.Z;
        Assert.True(vertices.Min(v => Math.Abs(Rise(v))) > 1e-3); // no vertex on the plane
        Assert.Equal(21, vertices.Count(v => Rise(v) >= 0));
        Assert.Equal(Math.Sqrt(42) * 21 / (4 * Math.PI), lbp.Energies[0].Voxels[0], 5);
        Assert.Equal(DegreeOneEnergy(vertices, 1, v => Rise(v) >= 0), lbp.Energies[1].Voxels[0], 5);
        // The axis order matters: the reversed weights (v₀ + 2 v₁ + 4 v₂) give another degree-1 energy.
        Assert.True(Math.Abs(DegreeOneEnergy(vertices, 1, v => v.X + 2 * v.Y + 4 * v.Z >= 0) - lbp.Energies[1].Voxels[0]) > 1e-2);
        // Kurtosis of the rises (their mean is 0 by symmetry).
        double m2 = vertices.Average(v => Math.Pow(Rise(v), 2)), m4 = vertices.Average(v => Math.Pow(Rise(v), 4));
        Assert.Equal(m4 / (m2 * m2) - 3, lbp.Kurtosis.Voxels[0], 5);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public void MirroringTheImageMirrorsTheResult(int axis, int subdivision)
    {
        // The icosphere is symmetric under each sign flip. Flipping x (v₂: θ → π − θ turns Y_nm into Y_n,−m) or y
        // (v₁: φ → −φ leaves Y_nm unchanged) leaves PyRadiomics' degree energies unchanged, as it does the spline with
        // mirror boundaries. Flipping z (v₀: φ → π − φ, Y_nm times (−1)^(n+m)) is a symmetry only without vertices on
        // the x axis: subdivision 1 has (0, 0, ±R), whose φ = atan2(0, 0) = 0 does not change sign, so only
        // subdivision 0 (12 vertices, none there) is checked along z.
        const int n = 10;
        var random = new Random(7);
        var values = new double[n * n * n];
        for (int p = 0; p < values.Length; p++) values[p] = random.Next(0, 1000) + random.NextDouble();
        var image = Field(n, PixelType.Float64, (i, j, k) => values[i + n * (j + n * k)]);
        int Flip(int i, int j, int k) => axis switch { 0 => (n - 1 - i) + n * (j + n * k), 1 => i + n * ((n - 1 - j) + n * k), _ => i + n * (j + n * (n - 1 - k)) };
        var mirrored = Field(n, PixelType.Float64, (i, j, k) => values[Flip(i, j, k)]);
        var all = new Box(0, 0, 0, n, n, n);
        var a = LocalBinaryPattern3D.PyRadiomics(image, all, levels: 3, subdivision: subdivision);
        var b = LocalBinaryPattern3D.PyRadiomics(mirrored, all, levels: 3, subdivision: subdivision);
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    int p = i + n * (j + n * k), q = Flip(i, j, k);
                    for (int d = 0; d < 3; d++) Assert.Equal(a.Energies[d].Voxels[p], b.Energies[d].Voxels[q], 3);
                    Assert.Equal(a.Kurtosis.Voxels[p], b.Kurtosis.Voxels[q], 4);
                }
    }

    [Fact]
    public void ARadiusBeyondTheImageSamplesOnlyZeros()
    {
        // Every neighbour lies outside the image: all samples are 0 < centre, so every energy is 0.
        var image = Field(5, PixelType.Int16, (i, j, k) => 10 + i + j + k);
        var lbp = LocalBinaryPattern3D.PyRadiomics(image, new Box(0, 0, 0, 5, 5, 5), radius: 1e10);
        Assert.All(lbp.Energies, e => Assert.All(e.Voxels, v => Assert.Equal(0, v)));
    }

    [Fact]
    public void InvalidArgumentsAreRefused()
    {
        var image = Field(4, PixelType.Int16, (i, _, _) => i);
        var box = Voxel(1, 1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalBinaryPattern3D.PyRadiomics(image, box, levels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalBinaryPattern3D.PyRadiomics(image, box, radius: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalBinaryPattern3D.PyRadiomics(image, box, subdivision: -1));
        Assert.Throws<ArgumentException>(() => LocalBinaryPattern3D.PyRadiomics(image, new Box(0, 0, 0, 5, 1, 1)));
    }
}
