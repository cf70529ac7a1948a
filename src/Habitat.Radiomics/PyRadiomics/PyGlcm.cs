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

    public Values? Statistics(ReadOnlySpan<long> matrix)
    {
        if (glcm.Statistics(matrix) is not { } p) return null;
        // Dense normalised p(i,j) over compact levels 1…n (PyRadiomics drops grey levels absent from the ROI).
        int n = size - 1;
        var pij = new double[n * n];
        double total = 0;
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= n; j++)
            {
                double c = matrix[i * size + j] + (glcm.Symmetric ? matrix[j * size + i] : 0);
                pij[(i - 1) * n + j - 1] = c;
                total += c;
            }
        for (int k = 0; k < pij.Length; k++) pij[k] /= total;

        double hxy = 0, hxy1 = 0, hxy2 = 0, hx = 0, hy = 0;
        for (int i = 0; i < n; i++)
        {
            double px = p.Row[i + 1], py = p.Column[i + 1];
            hx -= px * Math.Log2(px + Eps);
            hy -= py * Math.Log2(py + Eps);
            for (int j = 0; j < n; j++)
            {
                double v = pij[i * n + j], pxpy = px * p.Column[j + 1];
                hxy -= v * Math.Log2(v + Eps);
                hxy1 -= v * Math.Log2(pxpy + Eps);
                hxy2 -= pxpy * Math.Log2(pxpy + Eps);
            }
        }
        return new Values(p, hxy, hxy1, hxy2, hx, hy, MaximalCorrelation(pij, p.Row, n));
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
    /// MCC: √ of the second largest eigenvalue of Q(i,k) = Σ_j p(i,j) p(k,j) / (p_x(i) p_y(j)). For a symmetric GLCM
    /// Q = D⁻¹PD⁻¹P with D = diag(p_x) is similar to A² with the symmetric A = D^−½ P D^−½, so the eigenvalues of Q
    /// are the squares of A's (levels with p_x = 0 give zero rows and are left out). A single level gives 1, as in PyRadiomics.
    /// </summary>
    private static double MaximalCorrelation(double[] pij, double[] px, int n)
    {
        var present = new List<int>(n);
        for (int i = 0; i < n; i++) if (px[i + 1] > 0) present.Add(i);
        int m = present.Count;
        if (m < 2) return 1;
        var a = new double[m, m];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < m; c++)
                a[r, c] = pij[present[r] * n + present[c]] / Math.Sqrt(px[present[r] + 1] * px[present[c] + 1]);
        var squares = SymmetricEigenvalues.Of(a);
        for (int k = 0; k < squares.Length; k++) squares[k] *= squares[k];
        Array.Sort(squares);
        return Math.Sqrt(squares[^2]);
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

/// <summary>Eigenvalues of a real symmetric matrix by cyclic Jacobi rotations (converges quadratically; exact to round-off).</summary>
internal static class SymmetricEigenvalues
{
    public static double[] Of(double[,] a)
    {
        int n = a.GetLength(0);
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diagonal = 0;
            for (int p = 0; p < n; p++)
            {
                diagonal += a[p, p] * a[p, p];
                for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            }
            if (off <= 1e-30 * diagonal) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p, q];
                    if (apq == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                }
        }
        var values = new double[n];
        for (int k = 0; k < n; k++) values[k] = a[k, k];
        return values;
    }
}
