namespace Habitat.Imaging.Processing;

/// <summary>Separable Gaussian smoothing (kernel truncated at 4σ, renormalised; edges replicate the border voxel).</summary>
public static class GaussianSmoothing
{
    /// <summary>The field convolved with a Gaussian of standard deviation <paramref name="sigmaMm"/> (mm) along each axis.</summary>
    public static float[] Smooth(Grid grid, ReadOnlySpan<float> field, double sigmaMm)
    {
        if (field.Length != grid.Count)
            throw new ArgumentException($"field holds {field.Length} voxels, grid needs {grid.Count}", nameof(field));
        if (!(sigmaMm >= 0) || !double.IsFinite(sigmaMm)) throw new ArgumentException($"sigma must be a finite non-negative number of mm, got {sigmaMm}");
        var current = field.ToArray();
        if (sigmaMm == 0) return current;
        var next = new float[current.Length];
        int nx = grid.Nx, ny = grid.Ny, nz = grid.Nz;
        Axis(current, next, ny * nz, nx, 1, Kernel(sigmaMm / grid.Spacing.X), line => line * nx);
        Axis(next, current, nx * nz, ny, nx, Kernel(sigmaMm / grid.Spacing.Y), line => line % nx + nx * ny * (line / nx));
        Axis(current, next, nx * ny, nz, nx * ny, Kernel(sigmaMm / grid.Spacing.Z), line => line);
        return next;
    }

    private static float[] Kernel(double sigmaVoxels)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(4 * sigmaVoxels));
        var k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += Math.Exp(-0.5 * i * i / (sigmaVoxels * sigmaVoxels));
        for (int i = -radius; i <= radius; i++) k[i + radius] = (float)(Math.Exp(-0.5 * i * i / (sigmaVoxels * sigmaVoxels)) / sum);
        return k;
    }

    private static void Axis(float[] source, float[] target, int lines, int length, int stride, float[] kernel, Func<int, int> lineStart)
    {
        int radius = kernel.Length / 2;
        Parallel.For(0, lines, () => new float[length], (line, _, buffer) =>
        {
            int start = lineStart(line);
            for (int q = 0; q < length; q++) buffer[q] = source[start + q * stride];
            for (int q = 0; q < length; q++)
            {
                float sum = 0;
                for (int t = -radius; t <= radius; t++)
                    sum += kernel[t + radius] * buffer[Math.Clamp(q + t, 0, length - 1)];
                target[start + q * stride] = sum;
            }
            return buffer;
        }, _ => { });
    }
}
