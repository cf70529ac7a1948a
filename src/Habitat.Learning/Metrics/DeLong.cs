namespace Habitat.Learning.Metrics;

/// <summary>
/// DeLong, DeLong &amp; Clarke-Pearson (Biometrics 1988): the AUC's variance from its structural components
/// V10 (per positive) and V01 (per negative), computed from mid-ranks (Sun &amp; Xu, IEEE SPL 2014); 95% CI and the
/// test comparing two correlated AUCs on the same cases.
/// </summary>
public static class DeLong
{
    public sealed record AucEstimate(double Auc, double StandardError, double Lower, double Upper);
    public sealed record Comparison(double AucA, double AucB, double Difference, double StandardError, double Z, double PValue);

    private sealed record Components(double Auc, double[] V10, double[] V01);

    private static Components Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        var positives = new List<double>();
        var negatives = new List<double>();
        for (int i = 0; i < labels.Length; i++) (labels[i] == 1 ? positives : negatives).Add(scores[i]);
        int m = positives.Count, n = negatives.Count;
        if (m < 2 || n < 2) throw new ArgumentException("DeLong needs at least two cases of each class");
        var all = positives.Concat(negatives).ToArray();
        var combined = Ranks.MidRanks(all);
        var withinPositive = Ranks.MidRanks(positives.ToArray());
        var withinNegative = Ranks.MidRanks(negatives.ToArray());
        var v10 = new double[m];
        var v01 = new double[n];
        for (int i = 0; i < m; i++) v10[i] = (combined[i] - withinPositive[i]) / n;
        for (int j = 0; j < n; j++) v01[j] = 1 - (combined[m + j] - withinNegative[j]) / m;
        return new Components(v10.Average(), v10, v01);
    }

    private static double Covariance(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - ma) * (b[i] - mb);
        return s / (a.Length - 1);
    }

    public static AucEstimate Estimate(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double level = 0.95)
    {
        var c = Compute(scores, labels);
        double variance = Covariance(c.V10, c.V10) / c.V10.Length + Covariance(c.V01, c.V01) / c.V01.Length;
        double se = Math.Sqrt(Math.Max(variance, 0));
        double z = Selection.NormalDistribution.Quantile(0.5 + level / 2);
        return new AucEstimate(c.Auc, se, Math.Max(0, c.Auc - z * se), Math.Min(1, c.Auc + z * se));
    }

    /// <summary>Two-sided test of equal AUC for two models scored on the same cases.</summary>
    public static Comparison Compare(ReadOnlySpan<double> scoresA, ReadOnlySpan<double> scoresB, ReadOnlySpan<int> labels)
    {
        var a = Compute(scoresA, labels);
        var b = Compute(scoresB, labels);
        double variance = (Covariance(a.V10, a.V10) + Covariance(b.V10, b.V10) - 2 * Covariance(a.V10, b.V10)) / a.V10.Length
                        + (Covariance(a.V01, a.V01) + Covariance(b.V01, b.V01) - 2 * Covariance(a.V01, b.V01)) / a.V01.Length;
        double se = Math.Sqrt(Math.Max(variance, 0));
        double diff = a.Auc - b.Auc;
        double z = se > 0 ? diff / se : 0;
        double p = se > 0 ? 2 * Selection.NormalDistribution.UpperTail(Math.Abs(z)) : 1;
        return new Comparison(a.Auc, b.Auc, diff, se, z, p);
    }
}
