using System.Runtime.Intrinsics;
using System.Numerics;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' GLCM features on the IBSI co-occurrence matrices (<see cref="Glcm"/> counts and normalises them).
/// Where PyRadiomics' formulas differ from IBSI's: entropies are −Σ p log2(p + ε) (ε: double machine epsilon),
/// Correlation is 1 and Imc1/Imc2 are 0 for a single grey level, HXY1 and HXY2 are summed as written (not simplified
/// to HX + HY), Idmn/Idn divide by N_g = the highest grey level, and MCC (maximal correlation coefficient) is added.
/// </summary>
internal sealed class PyGlcm(Glcm glcm, int size) : IDirectionalFamily<PyGlcm.Values>
{
    private const double Eps = 2.220446049250313e-16; // numpy.spacing(1)

    public IReadOnlyList<TextureFeature<Values>> Features => Definitions;

    private static readonly TextureFeature<Values>[] Definitions =
    [
        new("Autocorrelation", "", s => s.P.Autocorrelation),                          // Σ i j p(i,j)
        new("JointAverage", "", s => s.P.MeanRow),                                     // μx = Σ i p(i,j)
        new("ClusterProminence", "", s => ClusterMoment(s.P, 4)),                      // Σ (i + j − μx − μy)⁴ p(i,j)
        new("ClusterShade", "", s => ClusterMoment(s.P, 3)),                           // Σ (i + j − μx − μy)³ p(i,j)
        new("ClusterTendency", "", s => ClusterMoment(s.P, 2)),                        // Σ (i + j − μx − μy)² p(i,j)
        new("Contrast", "", s => DifferenceSum(s.P, k => k * k)),                      // Σ (i − j)² p(i,j)
        new("Correlation", "", Correlation),
        new("DifferenceAverage", "", s => DifferenceSum(s.P, k => k)),                 // Σ k p_x−y(k)
        new("DifferenceEntropy", "", s => Entropy(s.P.Difference)),                    // −Σ p_x−y log2(p_x−y + ε)
        new("DifferenceVariance", "", s => Glcm.Variance(s.P.Difference)),                  // Σ (k − DA)² p_x−y(k)
        new("JointEnergy", "", s => s.P.Energy),                                       // Σ p(i,j)²
        new("JointEntropy", "", s => s.Hxy),                                           // −Σ p log2(p + ε)
        new("Imc1", "", Imc1),
        new("Imc2", "", Imc2),
        new("Idm", "", s => DifferenceSum(s.P, k => 1 / (1 + k * k))),                 // Σ p_x−y(k) / (1 + k²)
        new("MCC", "", s => s.Mcc),
        new("Idmn", "", s => DifferenceSum(s.P, k => 1 / (1 + k * k / (s.P.LevelCount * s.P.LevelCount)))),
        new("Id", "", s => DifferenceSum(s.P, k => 1 / (1 + k))),                       // Σ p_x−y(k) / (1 + k)
        new("Idn", "", s => DifferenceSum(s.P, k => 1 / (1 + k / s.P.LevelCount))),
        new("InverseVariance", "", s => DifferenceSum(s.P, k => k == 0 ? 0 : 1 / (k * k))),
        new("MaximumProbability", "", s => s.P.JointMaximum),
        new("SumAverage", "", s => Glcm.Mean(s.P.Sum)),                                     // Σ k p_x+y(k)
        new("SumEntropy", "", s => Entropy(s.P.Sum)),                                  // −Σ p_x+y log2(p_x+y + ε)
        new("SumSquares", "", s => s.P.VarianceRow),                                   // Σ (i − μx)² p(i,j)
    ];

    public int MatrixLength => glcm.MatrixLength;

    public void Count(ReadOnlySpan<int> voxels, int offset, Span<long> matrix) => glcm.Count(voxels, offset, matrix);

    public Values? Statistics(ReadOnlySpan<long> matrix) => Statistics<long>(matrix);

    public Values? Statistics(ReadOnlySpan<double> weightedMatrix) => Statistics<double>(weightedMatrix);

    /// <summary>The statistics of a matrix of counts or of a distance-weighted sum of matrices (<c>weightingNorm</c>).</summary>
    private Values? Statistics<T>(ReadOnlySpan<T> matrix) where T : unmanaged, INumber<T>
    {
        if (glcm.Statistics(matrix, glcm.AllLevels, glcm.NewProbabilities()) is not { } p) return null;
        // Dense normalised p(i,j) over compact levels 1…n (PyRadiomics drops grey levels absent from the ROI).
        int n = size - 1;
        var pij = new double[n * n];
        double total = 0;
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= n; j++)
            {
                double c = double.CreateTruncating(matrix[i * size + j]) + (glcm.Symmetric ? double.CreateTruncating(matrix[j * size + i]) : 0);
                pij[(i - 1) * n + j - 1] = c;
                total += c;
            }
        for (int k = 0; k < pij.Length; k++) pij[k] /= total;

        // Entropies. Terms with p = 0 add nothing (0 · log2 ε = 0), so rows and columns with an empty marginal are
        // skipped and log2(p_x p_y + ε) is taken once for HXY1 and HXY2.
        double hxy = 0, hxy1 = 0, hxy2 = 0, hx = 0, hy = 0;
        for (int i = 0; i < n; i++)
        {
            double px = p.Row[i + 1], py = p.Column[i + 1];
            hx -= px * Math.Log2(px + Eps);
            hy -= py * Math.Log2(py + Eps);
        }
        for (int i = 0; i < n; i++)
        {
            double px = p.Row[i + 1];
            if (px == 0) continue;
            for (int j = 0; j < n; j++)
            {
                double pxpy = px * p.Column[j + 1];
                if (pxpy == 0) continue;
                double v = pij[i * n + j], logPxPy = Math.Log2(pxpy + Eps);
                if (v != 0) hxy -= v * Math.Log2(v + Eps);
                hxy1 -= v * logPxPy;
                hxy2 -= pxpy * logPxPy;
            }
        }
        return new Values(p, hxy, hxy1, hxy2, hx, hy, MaximalCorrelation(pij, p.Row, p.Column, n));
    }

    internal sealed record Values(Glcm.Probabilities P, double Hxy, double Hxy1, double Hxy2, double Hx, double Hy, double Mcc);

    // Correlation (Σ i j p − μx μy) / (σx σy); PyRadiomics sets it to 1 when σx σy = 0 (a flat region).
    private static double Correlation(Values s)
    {
        double sigma = Math.Sqrt(s.P.VarianceRow) * Math.Sqrt(s.P.VarianceColumn);
        return sigma == 0 ? 1 : (s.P.Autocorrelation - s.P.MeanRow * s.P.MeanColumn) / sigma;
    }

    // Imc1 (HXY − HXY1) / max(HX, HY), 0 when max(HX, HY) = 0.
    private static double Imc1(Values s)
    {
        double div = Math.Max(s.Hx, s.Hy);
        return div == 0 ? s.Hxy - s.Hxy1 : (s.Hxy - s.Hxy1) / div;
    }

    // Imc2 √(1 − exp(−2 (HXY2 − HXY))), 0 when HXY2 = HXY.
    private static double Imc2(Values s) => s.Hxy2 == s.Hxy ? 0 : Math.Sqrt(1 - Math.Exp(-2 * (s.Hxy2 - s.Hxy)));

    /// <summary>
    /// MCC: √ of the second largest eigenvalue of Q(i,j) = Σ_k p(i,k) p(j,k) / (p_x(i) p_y(k)) over the n grey levels of
    /// the ROI (PyRadiomics: 1 when n = 1). Q = D_x⁻¹ P D_y⁻¹ Pᵀ (D_x = diag(p_x), D_y = diag(p_y)) is similar to the
    /// symmetric B Bᵀ with B = D_x^−½ P D_y^−½, so its eigenvalues are real and ≥ 0: those of B Bᵀ, and 0 for each level
    /// with p_x = 0 (a zero row of Q). For a symmetric GLCM B is symmetric and B Bᵀ = B², whose eigenvalues are the
    /// squares of B's. Levels without pairs along this angle thus make the second eigenvalue 0 when only one level has
    /// any. A second eigenvalue that round-off leaves slightly negative is taken as 0.
    /// </summary>
    private double MaximalCorrelation(double[] pij, double[] px, double[] py, int n)
    {
        if (n < 2) return 1;
        var rows = Present(px, n);
        int m = rows.Count;
        if (m < 2) return 0;
        if (glcm.Symmetric)
        {
            var b = new double[m * m];
            for (int r = 0; r < m; r++)
                for (int c = 0; c < m; c++)
                    b[r * m + c] = pij[rows[r] * n + rows[c]] / Math.Sqrt(px[rows[r] + 1] * px[rows[c] + 1]);
            // The two largest squared eigenvalues of B come from its two smallest and two largest eigenvalues.
            var extremes = new SymmetricEigenvalues(b, m).KthSmallest(0, 1, Math.Max(m - 2, 1), m - 1);
            double first = 0, second = 0;
            for (int lane = 0; lane < 4; lane++)
            {
                if (lane == 2 && m <= 3 || lane == 3 && m == 2) continue; // the same eigenvalue as lane 1
                double square = extremes[lane] * extremes[lane];
                if (square > first) (first, second) = (square, first);
                else if (square > second) second = square;
            }
            return Math.Sqrt(second);
        }
        else
        {
            var columns = Present(py, n);
            int c = columns.Count;
            var b = new double[m * c];
            for (int r = 0; r < m; r++)
                for (int k = 0; k < c; k++)
                    b[r * c + k] = pij[rows[r] * n + columns[k]] / Math.Sqrt(px[rows[r] + 1] * py[columns[k] + 1]);
            var bbt = new double[m * m];
            for (int r = 0; r < m; r++)
                for (int s = 0; s <= r; s++)
                {
                    double dot = 0;
                    for (int k = 0; k < c; k++) dot += b[r * c + k] * b[s * c + k];
                    bbt[r * m + s] = bbt[s * m + r] = dot;
                }
            return Math.Sqrt(Math.Max(0, new SymmetricEigenvalues(bbt, m).KthSmallest(m - 2, m - 2, m - 2, m - 2)[0]));
        }
    }

    /// <summary>The 0-based levels whose marginal probability (indexed from 1) is positive.</summary>
    private static List<int> Present(double[] marginal, int n)
    {
        var present = new List<int>(n);
        for (int i = 0; i < n; i++) if (marginal[i + 1] > 0) present.Add(i);
        return present;
    }

    private static double Entropy(double[] p)
    {
        double entropy = 0;
        foreach (double pk in p) entropy -= pk * Math.Log2(pk + Eps);
        return entropy;
    }

    private static double DifferenceSum(Glcm.Probabilities p, Func<double, double> weight)
    {
        double sum = 0;
        for (int k = 0; k < p.Difference.Length; k++) sum += weight(k) * p.Difference[k];
        return sum;
    }

    private static double ClusterMoment(Glcm.Probabilities p, int power)
    {
        double centre = p.MeanRow + p.MeanColumn, sum = 0;
        for (int k = 2; k < p.Sum.Length; k++)
            if (p.Sum[k] > 0) sum += Math.Pow(k - centre, power) * p.Sum[k];
        return sum;
    }
}

/// <summary>
/// Selected eigenvalues of a real symmetric matrix: Householder reduction to a tridiagonal T (an orthogonal similarity
/// transform), then bisection on Sturm sequence counts of T (Golub and Van Loan, Matrix Computations, §8.4.1), which
/// finds any one eigenvalue to round-off in O(n) per step without computing the others. MCC needs two to four of them.
/// </summary>
internal sealed class SymmetricEigenvalues
{
    private const double Eps = 2.220446049250313e-16, SmallestNormal = 2.2250738585072014e-308;
    private readonly double[] diagonal, offDiagonalSquared;
    private readonly double lower, upper, pivotMinimum, tolerance;

    /// <param name="a">The n×n matrix, row-major; overwritten.</param>
    public SymmetricEigenvalues(double[] a, int n)
    {
        diagonal = new double[n];
        var offDiagonal = new double[n];
        Tridiagonalise(a, n, diagonal, offDiagonal);
        offDiagonalSquared = new double[n];
        double largestSquare = 0;
        lower = double.PositiveInfinity;
        upper = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            offDiagonalSquared[i] = offDiagonal[i] * offDiagonal[i];
            largestSquare = Math.Max(largestSquare, offDiagonalSquared[i]);
            // Gershgorin discs of T bound its spectrum.
            double radius = Math.Abs(offDiagonal[i]) + (i + 1 < n ? Math.Abs(offDiagonal[i + 1]) : 0);
            lower = Math.Min(lower, diagonal[i] - radius);
            upper = Math.Max(upper, diagonal[i] + radius);
        }
        // LAPACK's pivot guard (dstebz): pivots smaller than this are replaced by it, so a count never divides by zero.
        pivotMinimum = SmallestNormal * Math.Max(1, largestSquare);
        // Eigenvalues are found to round-off of the matrix norm, as any orthogonal-transform method finds them.
        tolerance = Eps * Math.Max(Math.Abs(lower), Math.Abs(upper)) + pivotMinimum;
        lower -= 2 * tolerance;
        upper += 2 * tolerance;
    }

    /// <summary>
    /// Four eigenvalues at once, the (k + 1)-th smallest for each k, to round-off: one search per vector lane, so the
    /// chain of divisions in the Sturm recurrence, which sets the cost, serves all four. Each step counts at two points
    /// (a third and two thirds into the interval) in two independent chains the core overlaps, so the interval shrinks
    /// threefold per step instead of twofold.
    /// </summary>
    public Vector256<double> KthSmallest(int k0, int k1, int k2, int k3)
    {
        var k = Vector256.Create((double)k0, k1, k2, k3);
        var low = Vector256.Create(lower);
        var high = Vector256.Create(upper);
        for (int step = 0; step < 256; step++)
        {
            var scale = Vector256.Max(Vector256.Abs(low), Vector256.Abs(high));
            if (Vector256.LessThanOrEqualAll(high - low, Vector256.Create(2 * Eps) * scale + Vector256.Create(tolerance))) break;
            var third = (high - low) * Vector256.Create(1.0 / 3);
            var (a, b) = (low + third, high - third);
            var (belowA, belowB) = CountBelow(a, b);
            var underA = Vector256.GreaterThan(belowA, k);
            var underB = Vector256.GreaterThan(belowB, k);
            (low, high) = (Vector256.ConditionalSelect(underA, low, Vector256.ConditionalSelect(underB, a, b)),
                Vector256.ConditionalSelect(underA, a, Vector256.ConditionalSelect(underB, b, high)));
        }
        return Vector256.Create(0.5) * (low + high);
    }

    /// <summary>
    /// Sturm counts at a and b, per lane: the negative pivots of the LDLᵀ factorisation of T − x I are the eigenvalues
    /// below x (Sylvester's law of inertia); pivots smaller than the guard become −guard, as in LAPACK's dstebz.
    /// </summary>
    private (Vector256<double> BelowA, Vector256<double> BelowB) CountBelow(Vector256<double> a, Vector256<double> b)
    {
        var guard = Vector256.Create(pivotMinimum);
        var belowA = Vector256<double>.Zero;
        var belowB = Vector256<double>.Zero;
        var pivotA = Vector256.Create(diagonal[0]) - a;
        var pivotB = Vector256.Create(diagonal[0]) - b;
        for (int i = 1; ; i++)
        {
            pivotA = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(pivotA), guard), -guard, pivotA);
            pivotB = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(pivotB), guard), -guard, pivotB);
            belowA += Vector256.ConditionalSelect(Vector256.LessThan(pivotA, Vector256<double>.Zero), Vector256<double>.One, Vector256<double>.Zero);
            belowB += Vector256.ConditionalSelect(Vector256.LessThan(pivotB, Vector256<double>.Zero), Vector256<double>.One, Vector256<double>.Zero);
            if (i == diagonal.Length) return (belowA, belowB);
            var d = Vector256.Create(diagonal[i]);
            var e2 = Vector256.Create(offDiagonalSquared[i]);
            pivotA = d - a - e2 / pivotA;
            pivotB = d - b - e2 / pivotB;
        }
    }

    /// <summary>
    /// Householder reflections from the last row up (Golub and Van Loan §8.3.1): the symmetric matrix, kept whole so
    /// that its rows are its columns, becomes tridiagonal with <paramref name="d"/> on the diagonal and
    /// <paramref name="e"/>[i] = a(i, i − 1) (e[0] = 0). Dot products and the rank-two update run along contiguous rows
    /// in AVX vectors.
    /// </summary>
    private static void Tridiagonalise(double[] a, int n, double[] d, double[] e)
    {
        for (int i = n - 1; i > 0; i--)
        {
            int l = i - 1;
            var u = a.AsSpan(i * n, l + 1); // row i left of the diagonal, turned into the reflection vector
            double scale = 0;
            foreach (var x in u) scale += Math.Abs(x);
            if (l == 0 || scale == 0)
            {
                e[i] = a[i * n + l];
                continue;
            }
            double h = 0;
            for (int k = 0; k <= l; k++)
            {
                u[k] /= scale;
                h += u[k] * u[k];
            }
            double f = u[l], g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
            e[i] = scale * g;
            h -= f * g;
            u[l] = f - g;
            // p = A u / h (kept in e[0…l]) and K = uᵀp / 2h, for the rank-two update A − u qᵀ − q uᵀ with q = p − K u.
            var p = e.AsSpan(0, l + 1);
            f = 0;
            for (int j = 0; j <= l; j++)
            {
                p[j] = Dot(a.AsSpan(j * n, l + 1), u) / h;
                f += p[j] * u[j];
            }
            double half = f / (h + h);
            for (int j = 0; j <= l; j++) p[j] -= half * u[j];
            for (int j = 0; j <= l; j++) SubtractRankTwo(a.AsSpan(j * n, l + 1), u[j], p, p[j], u);
        }
        for (int i = 0; i < n; i++) d[i] = a[i * n + i];
        e[0] = 0; // it held p and q above
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sum = Vector256<double>.Zero;
        int k = 0;
        for (; k <= x.Length - 4; k += 4) sum += Vector256.Create(x[k..]) * Vector256.Create(y[k..]);
        double total = Vector256.Sum(sum);
        for (; k < x.Length; k++) total += x[k] * y[k];
        return total;
    }

    /// <summary>row −= a·q + b·u.</summary>
    private static void SubtractRankTwo(Span<double> row, double a, ReadOnlySpan<double> q, double b, ReadOnlySpan<double> u)
    {
        var va = Vector256.Create(a);
        var vb = Vector256.Create(b);
        int k = 0;
        for (; k <= row.Length - 4; k += 4)
            (Vector256.Create((ReadOnlySpan<double>)row[k..]) - (va * Vector256.Create(q[k..]) + vb * Vector256.Create(u[k..]))).CopyTo(row[k..]);
        for (; k < row.Length; k++) row[k] -= a * q[k] + b * u[k];
    }
}
