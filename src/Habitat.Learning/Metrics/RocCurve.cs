namespace Habitat.Learning.Metrics;

/// <summary>Empirical ROC curve: (false-positive rate, true-positive rate) at every distinct score, from (0,0) to (1,1).</summary>
public static class RocCurve
{
    public static (double[] Fpr, double[] Tpr) Points(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        int n = scores.Length, positives = 0;
        for (int i = 0; i < n; i++) positives += labels[i];
        int negatives = n - positives;
        var keys = scores.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, order);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0, fp = 0;
        for (int k = n - 1; k >= 0; k--)
        {
            if (labels[order[k]] == 1) tp++; else fp++;
            if (k > 0 && keys[k - 1] == keys[k]) continue;
            fpr.Add((double)fp / negatives);
            tpr.Add((double)tp / positives);
        }
        return (fpr.ToArray(), tpr.ToArray());
    }
}
