using System.Runtime.Intrinsics;
using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Filters;

/// <summary>
/// The recursive (IIR) Gaussian of ITK's <c>RecursiveGaussianImageFilter</c>: Deriche's 4th-order causal +
/// anti-causal approximation of the Gaussian (order 0) or its second derivative (order 2), coefficients
/// normalised so the discrete response has unit sum (order 0) or unit second moment (order 2), and the
/// border value assumed to extend to infinity. σ is in voxels here; across-scale normalisation is the
/// caller's (ITK multiplies by σ² in mm).
/// </summary>
public sealed class RecursiveGaussian
{
    // Deriche's exponential-series fit of the Gaussian (index 0) and its second derivative (index 2), as ITK uses them.
    const double W1 = 0.6681, L1 = -1.3932, W2 = 2.0787, L2 = -1.3732;
    static readonly double[] A1 = [1.3530, -0.6724, -1.3563], B1 = [1.8151, -3.4327, 5.2318];
    static readonly double[] A2 = [-0.3531, 0.6724, 0.3446], B2 = [0.0902, 0.6100, -2.2355];

    readonly double n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4;
    readonly double bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4;

    /// <param name="sigma">σ in voxels.</param>
    /// <param name="secondDerivative">false: smoothing; true: second derivative (per voxel²).</param>
    /// <param name="scale">multiplies the response (e.g. σ² in mm² for scale normalisation).</param>
    public RecursiveGaussian(double sigma, bool secondDerivative, double scale = 1)
    {
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), $"σ must be positive, got {sigma}");
        double cos1 = Math.Cos(W1 / sigma), cos2 = Math.Cos(W2 / sigma);
        double exp1 = Math.Exp(L1 / sigma), exp2 = Math.Exp(L2 / sigma);
        d4 = exp1 * exp1 * exp2 * exp2;
        d3 = -2 * cos1 * exp1 * exp2 * exp2 - 2 * cos2 * exp2 * exp1 * exp1;
        d2 = 4 * cos2 * cos1 * exp1 * exp2 + exp1 * exp1 + exp2 * exp2;
        d1 = -2 * (exp2 * cos2 + exp1 * cos1);
        double sd = 1 + d1 + d2 + d3 + d4, dd = d1 + 2 * d2 + 3 * d3 + 4 * d4, ed = d1 + 4 * d2 + 9 * d3 + 16 * d4;
        var zero = Numerator(sigma, 0);
        if (!secondDerivative)
        {
            // unit DC gain of causal + anti-causal sum
            double alpha0 = 2 * zero.S / sd - zero.N[0];
            (n0, n1, n2, n3) = (zero.N[0] * scale / alpha0, zero.N[1] * scale / alpha0, zero.N[2] * scale / alpha0, zero.N[3] * scale / alpha0);
        }
        else
        {
            // Second derivative: mix in the zero-order series so the response has zero sum (β), then unit second moment (α2).
            var second = Numerator(sigma, 2);
            double beta = -(2 * second.S - sd * second.N[0]) / (2 * zero.S - sd * zero.N[0]);
            var n = new double[4];
            for (int t = 0; t < 4; t++) n[t] = second.N[t] + beta * zero.N[t];
            double sn = second.S + beta * zero.S, dn = second.D + beta * zero.D, en = second.E + beta * zero.E;
            double alpha2 = (en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn) / (sd * sd * sd);
            (n0, n1, n2, n3) = (n[0] * scale / alpha2, n[1] * scale / alpha2, n[2] * scale / alpha2, n[3] * scale / alpha2);
        }
        // Both orders are symmetric: the anti-causal numerator mirrors the causal one.
        m1 = n1 - d1 * n0; m2 = n2 - d2 * n0; m3 = n3 - d3 * n0; m4 = -d4 * n0;
        double sumN = n0 + n1 + n2 + n3, sumM = m1 + m2 + m3 + m4;
        // Steady-state terms for a constant signal continuing beyond each end.
        bn1 = d1 * sumN / sd; bn2 = d2 * sumN / sd; bn3 = d3 * sumN / sd; bn4 = d4 * sumN / sd;
        bm1 = d1 * sumM / sd; bm2 = d2 * sumM / sd; bm3 = d3 * sumM / sd; bm4 = d4 * sumM / sd;
    }

    static (double[] N, double S, double D, double E) Numerator(double sigma, int order)
    {
        double sin1 = Math.Sin(W1 / sigma), sin2 = Math.Sin(W2 / sigma), cos1 = Math.Cos(W1 / sigma), cos2 = Math.Cos(W2 / sigma);
        double exp1 = Math.Exp(L1 / sigma), exp2 = Math.Exp(L2 / sigma);
        double a1 = A1[order], b1 = B1[order], a2 = A2[order], b2 = B2[order];
        double n0 = a1 + a2;
        double n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2) + exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
        double n2 = 2 * exp1 * exp2 * ((a1 + a2) * cos2 * cos1 - b1 * cos2 * sin1 - b2 * cos1 * sin2)
                    + a2 * exp1 * exp1 + a1 * exp2 * exp2;
        double n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2) + exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
        return ([n0, n1, n2, n3], n0 + n1 + n2 + n3, n1 + 2 * n2 + 3 * n3, n1 + 4 * n2 + 9 * n3);
    }

    /// <summary>
    /// Filters every line along <paramref name="axis"/> (lines need ≥ 4 voxels, as in ITK). Neighbouring lines are
    /// filtered together, one per vector lane (the recursion is latency-bound, so the lanes come almost for free);
    /// each lane computes exactly what a single line would. Planes of lines run in parallel.
    /// </summary>
    public float[] AlongAxis(float[] source, Grid grid, int axis)
    {
        var target = new float[source.Length];
        AlongAxis(source, target, grid, axis);
        return target;
    }

    /// <summary>As <see cref="AlongAxis(float[], Grid, int)"/>, into <paramref name="target"/> (not <paramref name="source"/>).</summary>
    public void AlongAxis(float[] source, float[] target, Grid grid, int axis) =>
        AlongAxis(source, target, grid, axis, new Box(0, 0, 0, grid.Nx, grid.Ny, grid.Nz));

    /// <summary>
    /// Filters only the lines whose other two coordinates lie in <paramref name="lines"/> (its range along
    /// <paramref name="axis"/> is ignored: every line is filtered whole); the rest of <paramref name="target"/> is left as it was.
    /// </summary>
    public void AlongAxis(float[] source, float[] target, Grid grid, int axis, Box lines)
    {
        if (ReferenceEquals(source, target)) throw new ArgumentException("the recursive Gaussian cannot filter in place", nameof(target));
        if (source.Length < grid.Count || target.Length < grid.Count)
            throw new ArgumentException($"source ({source.Length}) and target ({target.Length}) must hold the grid's {grid.Count} voxels (pooled arrays may be longer)");
        int nx = grid.Nx, ny = grid.Ny, nz = grid.Nz;
        int n = axis switch { 0 => nx, 1 => ny, 2 => nz, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };
        if (n < 4) throw new ArgumentException($"the recursive Gaussian needs at least 4 voxels along axis {axis}, the image has {n}");
        if (lines.I0 < 0 || lines.J0 < 0 || lines.K0 < 0 || lines.I1 > nx || lines.J1 > ny || lines.K1 > nz)
            throw new ArgumentOutOfRangeException(nameof(lines), $"line box {lines} is not inside the {nx}×{ny}×{nz} grid");
        int step = axis switch { 0 => 1, 1 => nx, _ => nx * ny };
        // Line l of a plane starts at planeStart + l · laneStride (x lines: one row apart; y and z lines: one voxel apart).
        var (planeFirst, planeEnd) = axis == 2 ? (lines.J0, lines.J1) : (lines.K0, lines.K1);
        var (lineFirst, lineEnd) = axis == 0 ? (lines.J0, lines.J1) : (lines.I0, lines.I1);
        int laneStride = axis == 0 ? nx : 1, planeStride = axis == 2 ? nx : nx * ny;
        Parallel.For(planeFirst, planeEnd, () => new Lines(this, n), (plane, _, scratch) =>
        {
            for (int l = lineFirst; l < lineEnd; l += Lanes)
                scratch.Filter(source, target, plane * planeStride + l * laneStride, step, laneStride, Math.Min(Lanes, lineEnd - l));
            return scratch;
        }, _ => { });
    }

    const int Lanes = 8;

    /// <summary>Eight doubles as two AVX vectors: two independent recursion chains per step, which the core overlaps
    /// (one chain leaves its multipliers idle while it waits on the previous step).</summary>
    readonly struct Octet(Vector256<double> low, Vector256<double> high)
    {
        public readonly Vector256<double> Low = low, High = high;
        public static Octet operator +(Octet a, Octet b) => new(a.Low + b.Low, a.High + b.High);
        public static Octet operator -(Octet a, Octet b) => new(a.Low - b.Low, a.High - b.High);
        public static Octet operator *(Octet a, Vector256<double> b) => new(a.Low * b, a.High * b);
        public static Octet operator *(Octet a, double b) => a * Vector256.Create(b);
    }

    /// <summary>Scratch for filtering up to <see cref="Lanes"/> lines of length n at once; used by one thread.</summary>
    sealed class Lines(RecursiveGaussian f, int n)
    {
        readonly Octet[] x = new Octet[n], causal = new Octet[n];
        readonly float[] staged = new float[n * Lanes], result = new float[n * Lanes];
        readonly Vector256<double> n0 = Vector256.Create(f.n0), n1 = Vector256.Create(f.n1), n2 = Vector256.Create(f.n2), n3 = Vector256.Create(f.n3);
        readonly Vector256<double> m1 = Vector256.Create(f.m1), m2 = Vector256.Create(f.m2), m3 = Vector256.Create(f.m3), m4 = Vector256.Create(f.m4);
        readonly Vector256<double> d1 = Vector256.Create(f.d1), d2 = Vector256.Create(f.d2), d3 = Vector256.Create(f.d3), d4 = Vector256.Create(f.d4);

        /// <summary>Filters the <paramref name="count"/> lines starting at start + lane · laneStride (voxels step apart);
        /// unused lanes repeat the last line and are not written.</summary>
        public void Filter(float[] source, float[] target, int start, int step, int laneStride, int count)
        {
            // Eight adjacent lines are read and written as vectors in place; others (lines along x, or fewer than eight)
            // go through interleaved staging buffers, one lane per line, so the filter itself always works on vectors.
            bool contiguous = laneStride == 1 && count == Lanes;
            var (input, inputStart, inputStep) = contiguous ? (source, start, step) : (staged, 0, Lanes);
            var (output, outputStart, outputStep) = contiguous ? (target, start, step) : (result, 0, Lanes);
            if (!contiguous)
                for (int lane = 0; lane < Lanes; lane++)
                    for (int i = 0, o = start + Math.Min(lane, count - 1) * laneStride; i < n; i++, o += step)
                        staged[i * Lanes + lane] = source[o];
            for (int i = 0, o = inputStart; i < n; i++, o += inputStep)
            {
                var eight = Vector256.LoadUnsafe(ref input[o]);
                x[i] = new Octet(Vector256.WidenLower(eight), Vector256.WidenUpper(eight));
            }

            // Causal pass; x[0] is taken to extend to −∞.
            var v = x[0];
            var y = causal;
            y[0] = v * (f.n0 + f.n1 + f.n2 + f.n3) - v * (f.bn1 + f.bn2 + f.bn3 + f.bn4);
            y[1] = x[1] * n0 + v * (f.n1 + f.n2 + f.n3) - (y[0] * d1 + v * (f.bn2 + f.bn3 + f.bn4));
            y[2] = x[2] * n0 + x[1] * n1 + v * (f.n2 + f.n3) - (y[1] * d1 + y[0] * d2 + v * (f.bn3 + f.bn4));
            y[3] = x[3] * n0 + x[2] * n1 + x[1] * n2 + v * f.n3 - (y[2] * d1 + y[1] * d2 + y[0] * d3 + v * f.bn4);
            for (int i = 4; i < n; i++)
                y[i] = x[i] * n0 + x[i - 1] * n1 + x[i - 2] * n2 + x[i - 3] * n3
                       - (y[i - 1] * d1 + y[i - 2] * d2 + y[i - 3] * d3 + y[i - 4] * d4);
            // Anti-causal pass; x[n−1] is taken to extend to +∞. Its last four values stay in registers, and each voxel's
            // output (causal + anti-causal) is written as soon as it is known.
            var w = x[n - 1];
            var z0 = w * (f.m1 + f.m2 + f.m3 + f.m4) - w * (f.bm1 + f.bm2 + f.bm3 + f.bm4);
            var z1 = x[n - 1] * m1 + w * (f.m2 + f.m3 + f.m4) - (z0 * d1 + w * (f.bm2 + f.bm3 + f.bm4));
            var z2 = x[n - 2] * m1 + x[n - 1] * m2 + w * (f.m3 + f.m4) - (z1 * d1 + z0 * d2 + w * (f.bm3 + f.bm4));
            var z3 = x[n - 3] * m1 + x[n - 2] * m2 + x[n - 1] * m3 + w * f.m4 - (z2 * d1 + z1 * d2 + z0 * d3 + w * f.bm4);
            Store(output, outputStart, outputStep, n - 1, y[n - 1] + z0);
            Store(output, outputStart, outputStep, n - 2, y[n - 2] + z1);
            Store(output, outputStart, outputStep, n - 3, y[n - 3] + z2);
            Store(output, outputStart, outputStep, n - 4, y[n - 4] + z3);
            for (int i = n - 4; i > 0; i--)
            {
                var next = x[i] * m1 + x[i + 1] * m2 + x[i + 2] * m3 + x[i + 3] * m4 - (z3 * d1 + z2 * d2 + z1 * d3 + z0 * d4);
                Store(output, outputStart, outputStep, i - 1, y[i - 1] + next);
                (z0, z1, z2, z3) = (z1, z2, z3, next);
            }
            if (!contiguous)
                for (int lane = 0; lane < count; lane++)
                    for (int i = 0, o = start + lane * laneStride; i < n; i++, o += step)
                        target[o] = result[i * Lanes + lane];
        }

        /// <summary>Writes voxel i of the eight lines (the sum of both passes), rounded to float.</summary>
        static void Store(float[] output, int start, int step, int i, Octet sum) =>
            Vector256.Narrow(sum.Low, sum.High).StoreUnsafe(ref output[start + i * step]);
    }
}
