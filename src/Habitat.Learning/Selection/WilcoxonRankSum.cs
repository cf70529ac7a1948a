using Habitat.Learning.Data;
using Habitat.Learning.Metrics;

namespace Habitat.Learning.Selection;

/// <summary>
/// Univariate screening with the Wilcoxon rank-sum (Mann–Whitney U) test, two-sided, normal approximation with
/// continuity and tie corrections, and Benjamini–Hochberg false-discovery-rate adjustment across features.
/// </summary>
public static class WilcoxonRankSum
{
    /// <summary>Two-sided p-value of each column for a difference between label 1 and label 0.</summary>
    public static double[] PValues(FeatureMatrix x, ReadOnlySpan<int> labels)
    {
        var p = new double[x.Columns];
        for (int j = 0; j < x.Columns; j++) p[j] = PValue(x.Column(j), labels);
        return p;
    }

    public static double PValue(double[] values, ReadOnlySpan<int> labels)
    {
        int n = values.Length;
        var ranks = Ranks.MidRanks(values);
        double n1 = 0, rankSum = 0;
        for (int i = 0; i < n; i++) if (labels[i] == 1) { n1++; rankSum += ranks[i]; }
        double n0 = n - n1;
        double u = rankSum - n1 * (n1 + 1) / 2;
        // Tie correction: Var(U) = n0·n1/12 · [(n + 1) − Σ(t³ − t) / (n(n − 1))].
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        double tieSum = 0;
        for (int i = 0; i < n;)
        {
            int k = i;
            while (k + 1 < n && sorted[k + 1] == sorted[i]) k++;
            double t = k - i + 1;
            tieSum += t * t * t - t;
            i = k + 1;
        }
        double variance = n0 * n1 / 12 * (n + 1 - tieSum / (n * (n - 1.0)));
        if (variance <= 0) return 1;
        double z = (Math.Abs(u - n0 * n1 / 2) - 0.5) / Math.Sqrt(variance);
        return Math.Min(1, 2 * NormalDistribution.UpperTail(Math.Max(z, 0)));
    }

    /// <summary>Benjamini–Hochberg adjusted p-values (q-values), monotone and capped at 1.</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var q = new double[m];
        double running = 1;
        for (int r = m - 1; r >= 0; r--)
        {
            running = Math.Min(running, pValues[order[r]] * m / (r + 1));
            q[order[r]] = running;
        }
        return q;
    }
}

/// <summary>Standard normal tail probabilities.</summary>
public static class NormalDistribution
{
    /// <summary>P(Z &gt; z) via the complementary error function.</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    public static double Cdf(double z) => 1 - UpperTail(z);

    /// <summary>Quantile function (inverse CDF), Acklam's rational approximation refined by one Halley step.</summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), "probability must be in (0, 1)");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double x;
        if (p < 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p > 1 - 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else
        {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        double e = Cdf(x) - p;
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /// <summary>Complementary error function (Numerical Recipes' Chebyshev fit, relative error &lt; 1.2e-7).</summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                   t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
