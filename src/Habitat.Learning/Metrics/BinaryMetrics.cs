namespace Habitat.Learning.Metrics;

/// <summary>One bin of a calibration curve: mean predicted probability vs observed fraction of class 1.</summary>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanPredicted, double ObservedFraction);

/// <summary>Performance of probabilities against labels, with the decision threshold fixed beforehand.</summary>
public sealed record BinaryMetrics(
    int Cases, int Positives,
    double Auc, double AucDeLongLower, double AucDeLongUpper, double AucBootstrapLower, double AucBootstrapUpper,
    double Sensitivity, double Specificity, double Accuracy, double BalancedAccuracy, double Brier,
    IReadOnlyList<CalibrationBin> Calibration)
{
    public const int CalibrationBins = 10;
    public const int BootstrapResamples = 1000;

    /// <summary>
    /// Metrics of <paramref name="probabilities"/>; <paramref name="predicted"/> holds each case's class at the
    /// threshold chosen on its training data. The AUC bootstrap resamples patients (all of a patient's cases together).
    /// </summary>
    public static BinaryMetrics Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted,
                                        IReadOnlyList<string> patients, int seed)
    {
        int n = labels.Length, positives = 0, tp = 0, tn = 0;
        double brier = 0;
        for (int i = 0; i < n; i++)
        {
            positives += labels[i];
            if (labels[i] == 1 && predicted[i] == 1) tp++;
            if (labels[i] == 0 && predicted[i] == 0) tn++;
            brier += (probabilities[i] - labels[i]) * (probabilities[i] - labels[i]);
        }
        int negatives = n - positives;
        double sensitivity = (double)tp / positives, specificity = (double)tn / negatives;
        var delong = DeLong.Estimate(probabilities, labels);
        var (bootLow, bootHigh) = PatientBootstrapAuc(probabilities, labels, patients, seed);
        return new BinaryMetrics(n, positives, delong.Auc, delong.Lower, delong.Upper, bootLow, bootHigh,
            sensitivity, specificity, (double)(tp + tn) / n, (sensitivity + specificity) / 2, brier / n,
            CalibrationCurve(probabilities, labels));
    }

    /// <summary>Percentile 95% interval of the AUC over bootstrap resamples of patients.</summary>
    public static (double Lower, double Upper) PatientBootstrapAuc(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels,
                                                                    IReadOnlyList<string> patients, int seed, int resamples = BootstrapResamples)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < patients.Count; i++)
        {
            if (!groups.TryGetValue(patients[i], out var list)) groups[patients[i]] = list = [];
            list.Add(i);
        }
        var members = groups.Values.Select(l => l.ToArray()).ToArray();
        var rng = new Random(seed);
        var aucs = new List<double>(resamples);
        var p = new List<double>();
        var y = new List<int>();
        for (int b = 0; b < resamples; b++)
        {
            p.Clear(); y.Clear();
            for (int k = 0; k < members.Length; k++)
                foreach (var i in members[rng.Next(members.Length)]) { p.Add(probabilities[i]); y.Add(labels[i]); }
            int pos = y.Sum();
            if (pos == 0 || pos == y.Count) continue; // a resample without both classes has no AUC
            aucs.Add(RocAuc.Compute(p.ToArray(), y.ToArray()));
        }
        aucs.Sort();
        return (Quantile(aucs, 0.025), Quantile(aucs, 0.975));
    }

    /// <summary>Linear-interpolation quantile of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double h = (sorted.Count - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Equal-width probability bins; empty bins are omitted.</summary>
    public static IReadOnlyList<CalibrationBin> CalibrationCurve(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, int bins = CalibrationBins)
    {
        var count = new int[bins]; var sumP = new double[bins]; var sumY = new double[bins];
        for (int i = 0; i < probabilities.Length; i++)
        {
            int b = Math.Clamp((int)(probabilities[i] * bins), 0, bins - 1);
            count[b]++; sumP[b] += probabilities[i]; sumY[b] += labels[i];
        }
        var result = new List<CalibrationBin>();
        for (int b = 0; b < bins; b++)
            if (count[b] > 0) result.Add(new CalibrationBin((double)b / bins, (double)(b + 1) / bins, count[b], sumP[b] / count[b], sumY[b] / count[b]));
        return result;
    }

    /// <summary>
    /// Youden's J threshold: the probability t maximising sensitivity + specificity − 1 when calling p ≥ t positive;
    /// among equal J the midpoint between that score and the next lower one is returned.
    /// </summary>
    public static double YoudenThreshold(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels)
    {
        int n = probabilities.Length, positives = 0;
        for (int i = 0; i < n; i++) positives += labels[i];
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) return 0.5;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = probabilities.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(keys); Array.Reverse(order);
        int tp = 0, fp = 0;
        double bestJ = double.NegativeInfinity, best = 0.5;
        for (int k = 0; k < n; k++)
        {
            if (labels[order[k]] == 1) tp++; else fp++;
            if (k + 1 < n && keys[k + 1] == keys[k]) continue; // thresholds lie between distinct scores
            double j = (double)tp / positives - (double)fp / negatives;
            if (j > bestJ + 1e-12) // ties (up to rounding) keep the higher threshold
            {
                bestJ = j;
                best = k + 1 < n ? 0.5 * (keys[k] + keys[k + 1]) : keys[k];
            }
        }
        return best;
    }
}
