using System.Numerics.Tensors;

namespace Habitat.Imaging.Filters;

/// <summary>How a filter sees the image beyond its edges (IBSI 2 boundary conditions, GBYQ).</summary>
public enum BoundaryMode
{
    /// <summary>Zero padding (IBSI Z3VE).</summary>
    Constant,
    /// <summary>Repeat the edge voxel (IBSI SIJG).</summary>
    Nearest,
    /// <summary>The image repeats (IBSI Z7YO).</summary>
    Periodic,
    /// <summary>Symmetric reflection including the edge voxel, d c b a | a b c d (IBSI ZDTV).</summary>
    Mirror,
}

/// <summary>
/// A 1-D convolution kernel: <c>out[i] = Σ_t Taps[t] · in[i + Origin − t]</c>, so the tap at index
/// <see cref="Origin"/> multiplies the voxel itself.
/// </summary>
public sealed record Kernel1D(float[] Taps, int Origin)
{
    /// <summary>An odd-length kernel centred on its middle tap.</summary>
    public static Kernel1D Centred(float[] taps) => new(taps, taps.Length / 2);

    /// <summary>The kernel mirrored about its origin (k(−x)): what a 180° rotation does to one axis.</summary>
    public Kernel1D Reversed()
    {
        var taps = (float[])Taps.Clone();
        Array.Reverse(taps);
        return new Kernel1D(taps, Taps.Length - 1 - Origin);
    }

    /// <summary>The à trous kernel: <paramref name="factor"/> − 1 zeros between taps, origin kept on its tap.</summary>
    public Kernel1D Dilated(int factor)
    {
        if (factor == 1) return this;
        var taps = new float[(Taps.Length - 1) * factor + 1];
        for (int t = 0; t < Taps.Length; t++) taps[t * factor] = Taps[t];
        return new Kernel1D(taps, Origin * factor);
    }
}

/// <summary>
/// Separable convolution of a voxel array along the grid's axes: each line is gathered once into a padded
/// buffer (boundary mode applied there) and convolved with vectorised multiply-adds; lines run in parallel.
/// </summary>
public static class SeparableConvolution
{
    /// <summary>Convolves with one kernel per axis (x, y, z); a null kernel leaves that axis alone.</summary>
    public static float[] Apply(float[] voxels, Grid grid, Kernel1D? x, Kernel1D? y, Kernel1D? z, BoundaryMode mode)
    {
        var current = voxels;
        if (x is not null) current = AlongAxis(current, grid, 0, x, mode);
        if (y is not null) current = AlongAxis(current, grid, 1, y, mode);
        if (z is not null) current = AlongAxis(current, grid, 2, z, mode);
        return ReferenceEquals(current, voxels) ? (float[])voxels.Clone() : current;
    }

    /// <summary>Convolves every line along <paramref name="axis"/> (0 = x, 1 = y, 2 = z) into a new array.</summary>
    public static float[] AlongAxis(float[] source, Grid grid, int axis, Kernel1D kernel, BoundaryMode mode)
    {
        int nx = grid.Nx, ny = grid.Ny, nz = grid.Nz;
        int n = axis switch { 0 => nx, 1 => ny, _ => nz };
        int stride = axis switch { 0 => 1, 1 => nx, _ => nx * ny };
        // Lines are grouped into planes so one parallel task handles many lines.
        int planes = axis == 2 ? ny : nz;
        int linesPerPlane = axis switch { 0 => ny, 1 => nx, _ => nx };
        int length = kernel.Taps.Length;
        // Correlation form: out[i] = Σ_s reversed[s] · padded[i + s], padded[q] = in[q − (L − 1 − Origin)].
        var reversed = (float[])kernel.Taps.Clone();
        Array.Reverse(reversed);
        int lead = length - 1 - kernel.Origin;
        var target = new float[source.Length];
        Parallel.For(0, planes,
            () => (Padded: new float[n + length - 1], Line: new float[n]),
            (plane, _, buffers) =>
            {
                for (int line = 0; line < linesPerPlane; line++)
                {
                    int start = axis switch
                    {
                        0 => nx * (line + ny * plane),
                        1 => line + nx * ny * plane,
                        _ => line + nx * plane,
                    };
                    var padded = buffers.Padded;
                    for (int q = 0; q < padded.Length; q++)
                    {
                        int m = Boundary(q - lead, n, mode);
                        padded[q] = m < 0 ? 0f : source[start + m * stride];
                    }
                    var output = buffers.Line.AsSpan();
                    output.Clear();
                    for (int s = 0; s < length; s++)
                    {
                        float w = reversed[s];
                        if (w != 0f) TensorPrimitives.MultiplyAdd(padded.AsSpan(s, n), w, output, output);
                    }
                    for (int i = 0; i < n; i++) target[start + i * stride] = output[i];
                }
                return buffers;
            },
            _ => { });
        return target;
    }

    /// <summary>Maps an index outside 0..n−1 onto the image as the boundary mode says; −1 means "zero".</summary>
    public static int Boundary(int m, int n, BoundaryMode mode)
    {
        if ((uint)m < (uint)n) return m;
        switch (mode)
        {
            case BoundaryMode.Constant: return -1;
            case BoundaryMode.Nearest: return m < 0 ? 0 : n - 1;
            case BoundaryMode.Periodic: return ((m % n) + n) % n;
            default:
                int period = 2 * n;
                int r = ((m % period) + period) % period;
                return r < n ? r : period - 1 - r;
        }
    }
}
