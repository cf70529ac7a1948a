namespace Habitat.Imaging.Processing;

/// <summary>How a volume is sampled between voxel centres.</summary>
public enum InterpolationMethod
{
    /// <summary>Value of the nearest voxel centre.</summary>
    Nearest,
    /// <summary>Linear along each axis (bilinear in-plane, trilinear in 3-D).</summary>
    Linear,
    /// <summary>Interpolating cubic B-spline along each axis (prefiltered coefficients, as scipy.ndimage's order 3).</summary>
    CubicSpline,
}

/// <summary>
/// Resamples a volume onto another grid with the same direction cosines. Because the directions agree, the map
/// from target to source index is an independent affine map per axis, so every method is a tensor product and is
/// applied one axis at a time. Positions outside the source are extrapolated with the nearest boundary value.
/// </summary>
public static class Resampler
{
    /// <summary>Extra boundary samples before the spline prefilter; the filter's influence decays as 0.268^n.</summary>
    private const int SplinePadding = 12;

    public static Volume Resample(Volume source, Grid target, InterpolationMethod method)
    {
        var from = source.Grid;
        if (!from.Direction.ApproximatelyEquals(target.Direction, 1e-6))
            throw new ArgumentException($"resampling needs equal direction cosines; source {from.Direction}, target {target.Direction}", nameof(target));
        var start = from.PhysicalToIndex(target.Origin);
        double[] step = [target.Spacing.X / from.Spacing.X, target.Spacing.Y / from.Spacing.Y, target.Spacing.Z / from.Spacing.Z];
        int[] sizeIn = [from.Nx, from.Ny, from.Nz];
        int[] sizeOut = [target.Nx, target.Ny, target.Nz];

        var data = source.Voxels;
        int[] size = [.. sizeIn];
        for (int axis = 0; axis < 3; axis++)
        {
            bool identity = sizeIn[axis] == sizeOut[axis] && Math.Abs(start[axis]) < 1e-9 && Math.Abs(step[axis] - 1) < 1e-12;
            if (identity) continue;
            var kernel = AxisKernel.Create(method, sizeIn[axis], sizeOut[axis], start[axis], step[axis]);
            data = ResampleAxis(data, size, axis, kernel, method == InterpolationMethod.CubicSpline);
            size[axis] = sizeOut[axis];
        }
        return new Volume(target, data == source.Voxels ? (float[])data.Clone() : data, source.StoredType);
    }

    /// <summary>Taps and weights of every output sample along one axis, shared by all lines of that axis.</summary>
    private sealed class AxisKernel
    {
        public required int Taps { get; init; }
        /// <summary>Per output sample: <see cref="Taps"/> source indices (into the padded line for splines).</summary>
        public required int[] Index { get; init; }
        public required float[] Weight { get; init; }
        public required int LengthIn { get; init; }
        public required int LengthOut { get; init; }

        public static AxisKernel Create(InterpolationMethod method, int nIn, int nOut, double start, double step)
        {
            int taps = method switch { InterpolationMethod.Nearest => 1, InterpolationMethod.Linear => 2, _ => 4 };
            var index = new int[nOut * taps];
            var weight = new float[nOut * taps];
            for (int t = 0; t < nOut; t++)
            {
                double x = start + step * t;
                int o = t * taps;
                switch (method)
                {
                    case InterpolationMethod.Nearest:
                        index[o] = Math.Clamp((int)Math.Floor(x + 0.5), 0, nIn - 1);
                        weight[o] = 1;
                        break;
                    case InterpolationMethod.Linear:
                    {
                        double c = Math.Clamp(x, 0, nIn - 1);
                        int i0 = Math.Min((int)Math.Floor(c), nIn - 1);
                        int i1 = Math.Min(i0 + 1, nIn - 1);
                        double f = c - i0;
                        index[o] = i0; weight[o] = (float)(1 - f);
                        index[o + 1] = i1; weight[o + 1] = (float)f;
                        break;
                    }
                    default:
                    {
                        // Padded line: sample p of the source sits at p + SplinePadding.
                        int paddedLength = nIn + 2 * SplinePadding;
                        double c = Math.Clamp(x + SplinePadding, 1, paddedLength - 2);
                        int i = (int)Math.Floor(c);
                        double f = c - i;
                        Span<double> w = stackalloc double[4];
                        CubicBSplineWeights(f, w);
                        for (int k = 0; k < 4; k++)
                        {
                            index[o + k] = Math.Clamp(i - 1 + k, 0, paddedLength - 1);
                            weight[o + k] = (float)w[k];
                        }
                        break;
                    }
                }
            }
            return new AxisKernel { Taps = taps, Index = index, Weight = weight, LengthIn = nIn, LengthOut = nOut };
        }
    }

    /// <summary>Cubic B-spline basis at offsets -1, 0, 1, 2 from the sample left of the position (fraction f).</summary>
    private static void CubicBSplineWeights(double f, Span<double> w)
    {
        double g = 1 - f;
        w[0] = g * g * g / 6;
        w[1] = (4 - 6 * f * f + 3 * f * f * f) / 6;
        w[2] = (4 - 6 * g * g + 3 * g * g * g) / 6;
        w[3] = f * f * f / 6;
    }

    private static float[] ResampleAxis(float[] input, int[] size, int axis, AxisKernel kernel, bool spline)
    {
        int nx = size[0], ny = size[1], nz = size[2];
        int[] outSize = [.. size];
        outSize[axis] = kernel.LengthOut;
        var output = new float[(long)outSize[0] * outSize[1] * outSize[2]];
        // Lines along `axis`: the stride between samples and how lines are enumerated.
        int strideIn = axis switch { 0 => 1, 1 => nx, _ => nx * ny };
        int strideOut = axis switch { 0 => 1, 1 => outSize[0], _ => outSize[0] * outSize[1] };
        int linesA = axis == 0 ? ny : nx;          // first enumerated axis of the lines
        int linesB = axis == 2 ? ny : nz;          // second
        int paddedLength = kernel.LengthIn + (spline ? 2 * SplinePadding : 0);

        Parallel.For(0, linesB, () => new double[paddedLength], (b, _, line) =>
        {
            for (int a = 0; a < linesA; a++)
            {
                (long baseIn, long baseOut) = axis switch
                {
                    0 => ((long)nx * (a + ny * b), (long)outSize[0] * (a + outSize[1] * b)),
                    1 => (a + (long)nx * ny * b, a + (long)outSize[0] * outSize[1] * b),
                    _ => (a + (long)nx * b, a + (long)outSize[0] * b),
                };
                if (spline)
                {
                    for (int p = 0; p < paddedLength; p++)
                    {
                        int s = Math.Clamp(p - SplinePadding, 0, kernel.LengthIn - 1);
                        line[p] = input[baseIn + (long)s * strideIn];
                    }
                    CubicBSplineCoefficients(line);
                }
                else
                {
                    for (int p = 0; p < paddedLength; p++) line[p] = input[baseIn + (long)p * strideIn];
                }
                int taps = kernel.Taps;
                var index = kernel.Index;
                var weight = kernel.Weight;
                for (int t = 0; t < kernel.LengthOut; t++)
                {
                    double sum = 0;
                    int o = t * taps;
                    for (int k = 0; k < taps; k++) sum += weight[o + k] * line[index[o + k]];
                    output[baseOut + (long)t * strideOut] = (float)sum;
                }
            }
            return line;
        }, _ => { });
        return output;
    }

    /// <summary>
    /// In-place conversion of samples to cubic B-spline coefficients (the recursive filter of Unser, Aldroubi and Eden,
    /// IEEE TSP 1993, pole sqrt(3) - 2, gain 6) with mirror-symmetric boundaries.
    /// </summary>
    internal static void CubicBSplineCoefficients(Span<double> c)
    {
        int n = c.Length;
        if (n < 2) return;
        double z = Math.Sqrt(3) - 2;
        for (int i = 0; i < n; i++) c[i] *= 6;
        // Causal initialisation: sum of z^k c[k] over the mirrored signal (truncated where z^k is negligible).
        int horizon = Math.Min(n, (int)Math.Ceiling(Math.Log(1e-12) / Math.Log(Math.Abs(z))));
        double zk = z, sum = c[0];
        for (int k = 1; k < horizon; k++) { sum += zk * c[k]; zk *= z; }
        c[0] = sum;
        for (int i = 1; i < n; i++) c[i] += z * c[i - 1];
        // Anticausal initialisation for the mirror boundary.
        c[n - 1] = z / (z * z - 1) * (c[n - 1] + z * c[n - 2]);
        for (int i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1] - c[i]);
    }
}
