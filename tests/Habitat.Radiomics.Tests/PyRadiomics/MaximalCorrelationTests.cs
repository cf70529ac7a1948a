using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// GLCM MCC as PyRadiomics defines it, also for the asymmetric matrix (<c>symmetricalGLCM: false</c>): √ of the second
/// largest eigenvalue of Q(i,j) = Σ_k p(i,k) p(j,k) / (p_x(i) p_y(k)) over the ROI's grey levels. The reference builds
/// Q from the definition and finds its eigenvalues by unshifted QR iteration on Q itself (not symmetrised).
/// </summary>
public class MaximalCorrelationTests
{
    // One row along x: the only PyRadiomics angle with pairs is (z, y, x) = (0, 0, 1), i.e. the pairs (x, x + 1).
    [Theory]
    [InlineData(new[] { 1, 2, 3, 1, 3, 2, 2, 1, 3, 3, 1, 1, 2, 4, 4, 1, 2, 3, 4, 2 }, false)]
    [InlineData(new[] { 1, 2, 3, 1, 3, 2, 2, 1, 3, 3, 1, 1, 2, 4, 4, 1, 2, 3, 4, 2 }, true)]
    [InlineData(new[] { 1, 1, 2, 1, 3, 3, 3, 2, 1, 1, 1, 3 }, false)]
    [InlineData(new[] { 1, 1, 1, 2 }, false)] // level 2 has no right neighbour: p_x(2) = 0, second eigenvalue 0
    [InlineData(new[] { 1, 1, 1, 2 }, true)]
    public void MatchesEigenvaluesOfQ(int[] row, bool symmetric)
    {
        int n = row.Max();
        var roi = new DiscretisedRoi(Grid.Create(row.Length, 1, 1, new Vec3(1, 1, 1)), row, n, Array.ConvertAll(row, _ => (byte)1));
        double actual = PyTexture.Compute(roi, new PyRadiomicsSettings { SymmetricalGlcm = symmetric },
            new Dictionary<string, IReadOnlyList<string>> { ["glcm"] = ["MCC"] }).Single().Value;

        var p = new double[n, n];
        for (int x = 0; x + 1 < row.Length; x++)
        {
            p[row[x] - 1, row[x + 1] - 1]++;
            if (symmetric) p[row[x + 1] - 1, row[x] - 1]++;
        }
        double total = p.Cast<double>().Sum();
        var px = new double[n];
        var py = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                p[i, j] /= total;
                px[i] += p[i, j];
                py[j] += p[i, j];
            }
        var q = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    if (px[i] * py[k] > 0) q[i, j] += p[i, k] * p[j, k] / (px[i] * py[k]);
        var eigenvalues = QrEigenvalues(q, n);
        Array.Sort(eigenvalues);
        double expected = Math.Sqrt(Math.Max(0, eigenvalues[^2]));

        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, expected), $"MCC: expected {expected:R}, got {actual:R}");
        if (!symmetric && row.Length > 4)
        {
            // The asymmetric matrix gives a different value than its symmetrised form (the test can tell them apart).
            double symmetrised = PyTexture.Compute(roi, new PyRadiomicsSettings(),
                new Dictionary<string, IReadOnlyList<string>> { ["glcm"] = ["MCC"] }).Single().Value;
            Assert.True(Math.Abs(symmetrised - expected) > 1e-6, $"symmetrised {symmetrised:R} vs asymmetric {expected:R}");
        }
    }

    /// <summary>Eigenvalues of a matrix with real, distinct-magnitude eigenvalues: A ← RQ with A = QR (Gram–Schmidt), until A is triangular.</summary>
    private static double[] QrEigenvalues(double[,] matrix, int n)
    {
        var a = (double[,])matrix.Clone();
        for (int iteration = 0; iteration < 5000; iteration++)
        {
            var qm = new double[n, n];
            var r = new double[n, n];
            for (int j = 0; j < n; j++)
            {
                var v = new double[n];
                for (int i = 0; i < n; i++) v[i] = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += qm[i, k] * a[i, j];
                    r[k, j] = dot;
                    for (int i = 0; i < n; i++) v[i] -= dot * qm[i, k];
                }
                double norm = Math.Sqrt(v.Sum(x => x * x));
                r[j, j] = norm;
                for (int i = 0; i < n; i++) qm[i, j] = norm == 0 ? 0 : v[i] / norm;
            }
            var next = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) next[i, j] += r[i, k] * qm[k, j];
            a = next;
        }
        var diagonal = new double[n];
        for (int i = 0; i < n; i++) diagonal[i] = a[i, i];
        return diagonal;
    }
}
