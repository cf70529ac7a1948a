namespace Habitat.Imaging.Processing;

/// <summary>
/// Exact Euclidean distance transform in mm with anisotropic spacing (Felzenszwalb &amp; Huttenlocher 2012,
/// "Distance transforms of sampled functions"): the squared distance is the lower envelope of parabolas, computed
/// by one 1-D pass per axis (x, then y, then z); each pass runs its lines in parallel.
/// </summary>
public static class DistanceTransform
{
    /// <summary>Distance (mm) from each voxel centre to the nearest voxel centre where <paramref name="feature"/> is
    /// non-zero (0 on the feature); +∞ everywhere when the feature is empty.</summary>
    public static float[] Euclidean(Grid grid, ReadOnlySpan<byte> feature)
    {
        if (feature.Length != grid.Count)
            throw new ArgumentException($"feature mask holds {feature.Length} voxels, grid needs {grid.Count}", nameof(feature));
        var squared = new double[grid.Count];
        for (int n = 0; n < squared.Length; n++) squared[n] = feature[n] != 0 ? 0 : double.PositiveInfinity;
        int nx = grid.Nx, ny = grid.Ny, nz = grid.Nz;
        Pass(squared, lines: ny * nz, length: nx, stride: 1, grid.Spacing.X, line => line * nx);
        Pass(squared, lines: nx * nz, length: ny, stride: nx, grid.Spacing.Y, line => line % nx + nx * ny * (line / nx));
        Pass(squared, lines: nx * ny, length: nz, stride: nx * ny, grid.Spacing.Z, line => line);
        var distance = new float[squared.Length];
        for (int n = 0; n < distance.Length; n++) distance[n] = (float)Math.Sqrt(squared[n]);
        return distance;
    }

    private static void Pass(double[] squared, int lines, int length, int stride, double spacing, Func<int, int> lineStart)
    {
        if (length == 1) return;
        Parallel.For(0, lines, () => new LineBuffers(length), (line, _, buffers) =>
        {
            int start = lineStart(line);
            var f = buffers.Values;
            for (int q = 0; q < length; q++) f[q] = squared[start + q * stride];
            LowerEnvelope(f, buffers, length, spacing);
            for (int q = 0; q < length; q++) squared[start + q * stride] = buffers.Result[q];
            return buffers;
        }, _ => { });
    }

    private sealed class LineBuffers(int length)
    {
        public readonly double[] Values = new double[length];
        public readonly double[] Result = new double[length];
        public readonly int[] Apex = new int[length];          // v: positions of the envelope's parabolas
        public readonly double[] Boundary = new double[length + 1]; // z: where parabola k starts to be lowest
    }

    /// <summary>D(p) = min_q ((p − q)·w)² + f(q) over the finite samples f(q) (FH's algorithm, positions scaled by w).</summary>
    private static void LowerEnvelope(double[] f, LineBuffers b, int n, double w)
    {
        var v = b.Apex;
        var z = b.Boundary;
        int k = -1;
        for (int q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            double xq = q * w;
            while (k >= 0)
            {
                double xv = v[k] * w;
                // Intersection of the parabolas rooted at q and v[k].
                double s = (f[q] + xq * xq - (f[v[k]] + xv * xv)) / (2 * (xq - xv));
                if (s > z[k]) { k++; v[k] = q; z[k] = s; z[k + 1] = double.PositiveInfinity; goto placed; }
                k--;
            }
            k = 0; v[0] = q; z[0] = double.NegativeInfinity; z[1] = double.PositiveInfinity;
        placed:;
        }
        if (k < 0) { Array.Fill(b.Result, double.PositiveInfinity, 0, n); return; }
        int j = 0;
        for (int p = 0; p < n; p++)
        {
            double x = p * w;
            while (z[j + 1] < x) j++;
            double d = x - v[j] * w;
            b.Result[p] = d * d + f[v[j]];
        }
    }
}
