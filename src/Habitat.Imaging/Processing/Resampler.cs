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

/// <summary>How the cubic spline extends the source beyond its first and last sample.</summary>
public enum SplineBoundary
{
    /// <summary>The edge value repeated (12 samples, beyond which the prefilter's influence is below 1e-7), then mirrored.</summary>
    Replicate,
    /// <summary>Whole-sample mirror at the edge, s[−k] = s[k], for the prefilter and the evaluation alike, as ITK's
    /// BSplineDecompositionImageFilter and BSplineInterpolateImageFunction (SimpleITK's sitkBSpline) do.</summary>
    Mirror,
}

/// <summary>
/// Resamples a volume onto another grid with the same direction cosines. Because the directions agree, the map
/// from target to source index is an independent affine map per axis, so every method is a tensor product and is
/// applied one axis at a time, in double precision (only the result is stored as float). Positions outside the
/// source are extrapolated with the nearest boundary value (splines: see <see cref="SplineBoundary"/>).
/// </summary>
public static class Resampler
{
    /// <summary>Extra boundary samples before the spline prefilter with <see cref="SplineBoundary.Replicate"/>; the
    /// filter's influence decays as 0.268^n.</summary>
    private const int SplinePadding = 12;

    /// <param name="castToStoredType">Keep an integer stored type as SimpleITK's ResampleImageFilter does: each value is
    /// clamped to the type's range and truncated toward zero (in double precision, before it is stored as float).</param>
    public static Volume Resample(Volume source, Grid target, InterpolationMethod method,
        SplineBoundary boundary = SplineBoundary.Replicate, bool castToStoredType = false)
    {
        var from = source.Grid;
        if (!from.Direction.ApproximatelyEquals(target.Direction, 1e-6))
            throw new ArgumentException($"resampling needs equal direction cosines; source {from.Direction}, target {target.Direction}", nameof(target));
        var start = from.PhysicalToIndex(target.Origin);
        double[] step = [target.Spacing.X / from.Spacing.X, target.Spacing.Y / from.Spacing.Y, target.Spacing.Z / from.Spacing.Z];
        int[] sizeIn = [from.Nx, from.Ny, from.Nz];
        int[] sizeOut = [target.Nx, target.Ny, target.Nz];

        double[]? data = null;
        int[] size = [.. sizeIn];
        for (int axis = 0; axis < 3; axis++)
        {
            bool identity = sizeIn[axis] == sizeOut[axis] && Math.Abs(start[axis]) < 1e-9 && Math.Abs(step[axis] - 1) < 1e-12;
            if (identity) continue;
            data ??= Array.ConvertAll(source.Voxels, v => (double)v);
            var kernel = AxisKernel.Create(method, boundary, sizeIn[axis], sizeOut[axis], start[axis], step[axis]);
            data = ResampleAxis(data, size, axis, kernel);
            size[axis] = sizeOut[axis];
        }
        if (data is null) return new Volume(target, (float[])source.Voxels.Clone(), source.StoredType);
        var voxels = new float[data.Length];
        if (castToStoredType && source.StoredType.IsInteger())
        {
            var (min, max) = source.StoredType.Range();
            for (int n = 0; n < data.Length; n++) voxels[n] = (float)Math.Truncate(Math.Clamp(data[n], min, max));
        }
        else
            for (int n = 0; n < data.Length; n++) voxels[n] = (float)data[n];
        return new Volume(target, voxels, source.StoredType);
    }

    /// <summary>Taps and weights of every output sample along one axis, shared by all lines of that axis.</summary>
    private sealed class AxisKernel
    {
        public required int Taps { get; init; }
        /// <summary>Per output sample: <see cref="Taps"/> source indices (into the padded line for replicated splines).</summary>
        public required int[] Index { get; init; }
        public required double[] Weight { get; init; }
        public required int LengthIn { get; init; }
        public required int LengthOut { get; init; }
        /// <summary>Samples before the source's first one in the line the taps index (splines: prefiltered in place).</summary>
        public required int Padding { get; init; }
        public required bool Spline { get; init; }

        public static AxisKernel Create(InterpolationMethod method, SplineBoundary boundary, int nIn, int nOut, double start, double step)
        {
            int taps = method switch { InterpolationMethod.Nearest => 1, InterpolationMethod.Linear => 2, _ => 4 };
            bool spline = method == InterpolationMethod.CubicSpline;
            int padding = spline && boundary == SplineBoundary.Replicate ? SplinePadding : 0;
            var index = new int[nOut * taps];
            var weight = new double[nOut * taps];
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
                        index[o] = i0; weight[o] = 1 - f;
                        index[o + 1] = i1; weight[o + 1] = f;
                        break;
                    }
                    case InterpolationMethod.CubicSpline when boundary == SplineBoundary.Mirror:
                    {
                        int i = (int)Math.Floor(x);
                        CubicBSplineWeights(x - i, weight.AsSpan(o, 4));
                        for (int k = 0; k < 4; k++) index[o + k] = Mirror(i - 1 + k, nIn);
                        break;
                    }
                    default:
                    {
                        // Padded line: sample p of the source sits at p + SplinePadding.
                        int paddedLength = nIn + 2 * SplinePadding;
                        double c = Math.Clamp(x + SplinePadding, 1, paddedLength - 2);
                        int i = (int)Math.Floor(c);
                        CubicBSplineWeights(c - i, weight.AsSpan(o, 4));
                        for (int k = 0; k < 4; k++) index[o + k] = Math.Clamp(i - 1 + k, 0, paddedLength - 1);
                        break;
                    }
                }
            }
            return new AxisKernel { Taps = taps, Index = index, Weight = weight, LengthIn = nIn, LengthOut = nOut, Padding = padding, Spline = spline };
        }
    }

    /// <summary>Index <paramref name="i"/> reflected into 0 … n − 1 about the first and last sample (period 2n − 2).</summary>
    internal static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i = Math.Abs(i) % period;
        return i < n ? i : period - i;
    }

    /// <summary>Cubic B-spline basis at offsets -1, 0, 1, 2 from the sample left of the position (fraction f).</summary>
    internal static void CubicBSplineWeights(double f, Span<double> w)
    {
        double g = 1 - f;
        w[0] = g * g * g / 6;
        w[1] = (4 - 6 * f * f + 3 * f * f * f) / 6;
        w[2] = (4 - 6 * g * g + 3 * g * g * g) / 6;
        w[3] = f * f * f / 6;
    }

    private static double[] ResampleAxis(double[] input, int[] size, int axis, AxisKernel kernel)
    {
        int nx = size[0], ny = size[1], nz = size[2];
        int[] outSize = [.. size];
        outSize[axis] = kernel.LengthOut;
        var output = new double[(long)outSize[0] * outSize[1] * outSize[2]];
        // Lines along `axis`: the stride between samples and how lines are enumerated.
        int strideIn = axis switch { 0 => 1, 1 => nx, _ => nx * ny };
        int strideOut = axis switch { 0 => 1, 1 => outSize[0], _ => outSize[0] * outSize[1] };
        int linesA = axis == 0 ? ny : nx;          // first enumerated axis of the lines
        int linesB = axis == 2 ? ny : nz;          // second
        bool spline = kernel.Spline;
        int padding = kernel.Padding, paddedLength = kernel.LengthIn + 2 * padding;

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
                        int s = Math.Clamp(p - padding, 0, kernel.LengthIn - 1);
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
                    output[baseOut + (long)t * strideOut] = sum;
                }
            }
            return line;
        }, _ => { });
        return output;
    }

    /// <summary>
    /// In-place conversion of samples to cubic B-spline coefficients (the recursive filter of Unser, Aldroubi and Eden,
    /// IEEE TSP 1993, pole sqrt(3) - 2, gain 6) with mirror-symmetric boundaries. The causal initialisation is the
    /// mirrored sum truncated where z^k falls below 1e-10, or the exact mirrored sum when the line is shorter than that
    /// (ITK's BSplineDecompositionImageFilter makes the same choice); <paramref name="exactInitialisation"/> always takes
    /// the exact mirrored sum, as scipy.ndimage's spline_filter (≥ 1.6) does.
    /// </summary>
    internal static void CubicBSplineCoefficients(Span<double> c, bool exactInitialisation = false)
    {
        int n = c.Length;
        if (n < 2) return;
        double z = Math.Sqrt(3) - 2;
        for (int i = 0; i < n; i++) c[i] *= 6;
        int horizon = (int)Math.Ceiling(Math.Log(1e-10) / Math.Log(Math.Abs(z)));
        if (horizon < n && !exactInitialisation)
        {
            double zk = z, sum = c[0];
            for (int k = 1; k < horizon; k++) { sum += zk * c[k]; zk *= z; }
            c[0] = sum;
        }
        else
        {
            // Σ over the mirrored signal of period 2n − 2, in closed form.
            double zn = z, iz = 1 / z, z2n = Math.Pow(z, n - 1), sum = c[0] + z2n * c[n - 1];
            z2n *= z2n * iz;
            for (int k = 1; k <= n - 2; k++) { sum += (zn + z2n) * c[k]; zn *= z; z2n *= iz; }
            c[0] = sum / (1 - zn * zn);
        }
        for (int i = 1; i < n; i++) c[i] += z * c[i - 1];
        // Anticausal initialisation for the mirror boundary.
        c[n - 1] = z / (z * z - 1) * (c[n - 1] + z * c[n - 2]);
        for (int i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1] - c[i]);
    }
}
