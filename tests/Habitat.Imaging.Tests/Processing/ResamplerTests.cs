using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Tests.Processing;

public class ResamplerTests
{
    private static Volume Ramp(int nx, int ny, int nz, Func<int, int, int, double> f)
    {
        var grid = Grid.Create(nx, ny, nz, new Vec3(1, 1, 1));
        var v = Volume.Zeros(grid);
        for (int k = 0; k < nz; k++) for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) v[i, j, k] = (float)f(i, j, k);
        return v;
    }

    [Fact]
    public void Linear_reproduces_a_linear_function_and_extrapolates_with_boundary_values()
    {
        var source = Ramp(6, 5, 4, (i, j, k) => i + 10 * j + 100 * k);
        // Half-voxel spacing starting half a voxel before the first centre: positions -0.5, 0, 0.5, ...
        var target = new Grid(13, 11, 9, new Vec3(0.5, 0.5, 0.5), new Vec3(-0.5, -0.5, -0.5), Matrix3.Identity);
        var result = Resampler.Resample(source, target, InterpolationMethod.Linear);
        for (int k = 0; k < 9; k++)
            for (int j = 0; j < 11; j++)
                for (int i = 0; i < 13; i++)
                {
                    double x = Math.Clamp(-0.5 + 0.5 * i, 0, 5), y = Math.Clamp(-0.5 + 0.5 * j, 0, 4), z = Math.Clamp(-0.5 + 0.5 * k, 0, 3);
                    Assert.Equal(x + 10 * y + 100 * z, result[i, j, k], 3);
                }
    }

    [Fact]
    public void Nearest_takes_the_closest_voxel()
    {
        var source = Ramp(4, 1, 1, (i, _, _) => i * i);
        var target = new Grid(4, 1, 1, new Vec3(1, 1, 1), new Vec3(0.4, 0, 0), Matrix3.Identity);
        var result = Resampler.Resample(source, target, InterpolationMethod.Nearest);
        Assert.Equal([0f, 1f, 4f, 9f], result.Voxels);
        var shifted = Resampler.Resample(source, target.WithOrigin(new Vec3(0.6, 0, 0)), InterpolationMethod.Nearest);
        Assert.Equal([1f, 4f, 9f, 9f], shifted.Voxels);
    }

    [Fact]
    public void Cubic_spline_interpolates_samples_and_reproduces_a_cubic_inside()
    {
        Func<int, int, int, double> cubic = (i, _, _) => 0.05 * i * i * i - 0.7 * i * i + 2 * i;
        var source = Ramp(40, 1, 1, cubic);
        var same = Resampler.Resample(source, source.Grid.WithOrigin(new Vec3(1e-7, 0, 0)), InterpolationMethod.CubicSpline);
        for (int i = 0; i < 40; i++) Assert.Equal(source.Voxels[i], same.Voxels[i], 3);

        var fine = new Grid(60, 1, 1, new Vec3(0.25, 1, 1), new Vec3(10, 0, 0), Matrix3.Identity);
        var result = Resampler.Resample(source, fine, InterpolationMethod.CubicSpline);
        for (int t = 0; t < 60; t++)
        {
            double x = 10 + 0.25 * t;
            Assert.Equal(0.05 * x * x * x - 0.7 * x * x + 2 * x, result.Voxels[t], 2);
        }
    }

    [Fact]
    public void Cubic_spline_coefficients_rebuild_the_samples()
    {
        double[] samples = [3, -1, 4, 1, -5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3];
        var c = (double[])samples.Clone();
        Resampler.CubicBSplineCoefficients(c);
        for (int i = 1; i < samples.Length - 1; i++)
            Assert.Equal(samples[i], (c[i - 1] + 4 * c[i] + c[i + 1]) / 6, 6);
    }

    [Theory]
    [InlineData(25)] // longer than the prefilter's horizon: truncated initial sum
    [InlineData(9)]  // shorter: exact mirrored sum
    public void Cubic_spline_coefficients_rebuild_every_sample_of_the_mirrored_signal(int n)
    {
        double[] samples = [.. Enumerable.Range(0, n).Select(i => Math.Sin(1.3 * i) * 40 + i)];
        var c = (double[])samples.Clone();
        Resampler.CubicBSplineCoefficients(c);
        double At(int i) => c[i < 0 ? -i : i >= n ? 2 * n - 2 - i : i]; // whole-sample mirror: c[−1] = c[1]
        for (int i = 0; i < n; i++)
            Assert.Equal(samples[i], (At(i - 1) + 4 * At(i) + At(i + 1)) / 6, 8);
    }

    [Fact]
    public void Mirrored_spline_equals_the_spline_of_the_explicitly_mirrored_signal()
    {
        const int n = 11, margin = 40;
        Func<int, double> signal = i => Math.Cos(0.9 * i) * 100 + 3 * i;
        int Mirror(int i) { while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i; return i; }
        var source = Ramp(n, 1, 1, (i, _, _) => signal(i));
        // The signal mirrored out to 40 samples each side: there the replicated edge is below 0.268^40 in influence.
        var extended = Ramp(n + 2 * margin, 1, 1, (i, _, _) => signal(Mirror(i - margin)));
        var target = new Grid(30, 1, 1, new Vec3(0.45, 1, 1), new Vec3(-1.7, 0, 0), Matrix3.Identity);
        var mirrored = Resampler.Resample(source, target, InterpolationMethod.CubicSpline, SplineBoundary.Mirror);
        var reference = Resampler.Resample(extended, target.WithOrigin(new Vec3(-1.7 + margin, 0, 0)), InterpolationMethod.CubicSpline);
        for (int t = 0; t < 30; t++) Assert.Equal(reference.Voxels[t], mirrored.Voxels[t], 4);
        var replicated = Resampler.Resample(source, target, InterpolationMethod.CubicSpline);
        Assert.NotEqual(replicated.Voxels[0], mirrored.Voxels[0], 1); // the boundaries do differ near the edge
    }

    [Fact]
    public void Cast_to_stored_type_truncates_toward_zero_and_clamps()
    {
        var grid = Grid.Create(2, 1, 1, Vec3.One);
        var source = new Volume(grid, [-1000.75f, 40000f], PixelType.Int16);
        var target = new Grid(3, 1, 1, new Vec3(0.5, 1, 1), Vec3.Zero, Matrix3.Identity);
        var cast = Resampler.Resample(source, target, InterpolationMethod.Linear, castToStoredType: true);
        // Linear values -1000.75, 19499.625, 40000: truncated toward zero, then clamped to short's maximum.
        Assert.Equal([-1000f, 19499f, 32767f], cast.Voxels);
        var asFloat = Resampler.Resample(source, target, InterpolationMethod.Linear);
        Assert.Equal(19499.625f, asFloat.Voxels[1]);
    }

    [Fact]
    public void Different_directions_are_refused()
    {
        var source = Ramp(2, 2, 2, (_, _, _) => 0);
        var rotated = new Grid(2, 2, 2, Vec3.One, Vec3.Zero, new Matrix3(0, 1, 0, 1, 0, 0, 0, 0, 1));
        Assert.Throws<ArgumentException>(() => Resampler.Resample(source, rotated, InterpolationMethod.Linear));
    }

    [Fact]
    public void Box_bounds_and_extracts_the_mask()
    {
        var grid = Grid.Create(5, 4, 3, Vec3.One);
        var mask = new byte[grid.Count];
        mask[grid.Index(1, 2, 1)] = 1;
        mask[grid.Index(3, 1, 2)] = 1;
        var box = Box.Bounding(grid, mask);
        Assert.Equal(new Box(1, 1, 1, 4, 3, 3), box);
        var part = box.Extract(grid, mask);
        Assert.Equal(3 * 2 * 2, part.Length);
        Assert.Equal(2, part.Count(b => b == 1));
        Assert.Equal(new Vec3(1, 1, 1), box.SubGrid(grid).Origin);
        Assert.True(Box.Bounding(grid, new byte[grid.Count]).IsEmpty);
    }
}
