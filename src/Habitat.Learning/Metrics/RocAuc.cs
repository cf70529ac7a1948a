namespace Habitat.Learning.Metrics;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive scores higher
/// than a random negative, ties counting one half (computed from mid-ranks in O(n log n)).
/// </summary>
public static class RocAuc
{
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels");
        var ranks = Ranks.MidRanks(scores);
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] == 1) { positiveRankSum += ranks[i]; positives++; }
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) throw new ArgumentException("AUC needs both classes");
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}

/// <summary>Ranking with ties given the mean of the ranks they span (1-based).</summary>
public static class Ranks
{
    public static double[] MidRanks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[n];
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start]) end++;
            double mid = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = mid;
            start = end + 1;
        }
        return ranks;
    }
}
