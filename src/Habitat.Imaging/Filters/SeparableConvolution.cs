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

/// <summary>A 1-D filter applied to whole lines; instances hold their own scratch space and are used by one thread.</summary>
public interface ILineFilter
{
    void Filter(ReadOnlySpan<float> line, Span<float> output);
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
    public static float[] AlongAxis(float[] source, Grid grid, int axis, Kernel1D kernel, BoundaryMode mode) =>
        TransformLines(source, grid, axis, n => new LineConvolution(kernel, mode, n));

    /// <summary>
    /// Runs a 1-D filter over every line along <paramref name="axis"/> (0 = x, 1 = y, 2 = z): each line is copied
    /// into a contiguous buffer, filtered, and written back to a new array. Lines run in parallel, one filter
    /// instance (with its scratch buffers) per worker, made by <paramref name="create"/> from the line length.
    /// </summary>
    public static float[] TransformLines(float[] source, Grid grid, int axis, Func<int, ILineFilter> create)
    {
        int nx = grid.Nx, ny = grid.Ny, nz = grid.Nz;
        int n = axis switch { 0 => nx, 1 => ny, 2 => nz, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };
        int stride = axis switch { 0 => 1, 1 => nx, _ => nx * ny };
        // Lines are grouped into planes so one parallel task handles many lines.
        int planes = axis == 2 ? ny : nz;
        int linesPerPlane = axis switch { 0 => ny, 1 => nx, _ => nx };
        var target = new float[source.Length];
        Parallel.For(0, planes,
            () => (Filter: create(n), Input: new float[n], Output: new float[n]),
            (plane, _, worker) =>
            {
                for (int line = 0; line < linesPerPlane; line++)
                {
                    int start = axis switch
                    {
                        0 => nx * (line + ny * plane),
                        1 => line + nx * ny * plane,
                        _ => line + nx * plane,
                    };
                    if (stride == 1) source.AsSpan(start, n).CopyTo(worker.Input);
                    else for (int i = 0; i < n; i++) worker.Input[i] = source[start + i * stride];
                    worker.Filter.Filter(worker.Input, worker.Output);
                    if (stride == 1) worker.Output.AsSpan().CopyTo(target.AsSpan(start, n));
                    else for (int i = 0; i < n; i++) target[start + i * stride] = worker.Output[i];
                }
                return worker;
            },
            _ => { });
        return target;
    }

    /// <summary>A convolution of one line with a kernel, the boundary mode applied in a padded buffer.</summary>
    sealed class LineConvolution : ILineFilter
    {
        readonly float[] reversed;
        readonly int lead;
        readonly BoundaryMode mode;
        readonly float[] padded;

        public LineConvolution(Kernel1D kernel, BoundaryMode mode, int n)
        {
            // Correlation form: out[i] = Σ_s reversed[s] · padded[i + s], padded[q] = in[q − (L − 1 − Origin)].
            reversed = (float[])kernel.Taps.Clone();
            Array.Reverse(reversed);
            lead = reversed.Length - 1 - kernel.Origin;
            this.mode = mode;
            padded = new float[n + reversed.Length - 1];
        }

        public void Filter(ReadOnlySpan<float> line, Span<float> output)
        {
            int n = line.Length;
            line.CopyTo(padded.AsSpan(lead, n));
            for (int q = 0; q < padded.Length; q = q == lead - 1 ? lead + n : q + 1)
            {
                if (q >= lead && q < lead + n) continue;
                int m = Boundary(q - lead, n, mode);
                padded[q] = m < 0 ? 0f : line[m];
            }
            output.Clear();
            for (int s = 0; s < reversed.Length; s++)
            {
                float w = reversed[s];
                if (w != 0f) TensorPrimitives.MultiplyAdd(padded.AsSpan(s, n), w, output, output);
            }
        }
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
