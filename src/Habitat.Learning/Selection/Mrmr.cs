using Habitat.Learning.Data;

namespace Habitat.Learning.Selection;

/// <summary>
/// Minimum-redundancy maximum-relevance selection, MID form (Peng, Long &amp; Ding, IEEE TPAMI 2005): greedily add the
/// feature maximising I(f; y) − mean over selected s of I(f; s). Mutual information is computed on equal-frequency
/// discretisations (<see cref="Bins"/> bins) of the training data.
/// </summary>
public static class Mrmr
{
    public const int Bins = 5;

    /// <summary>The first <paramref name="count"/> features in mRMR order.</summary>
    public static int[] Rank(FeatureMatrix x, ReadOnlySpan<int> labels, int count)
    {
        int n = x.Rows, p = x.Columns;
        count = Math.Min(count, p);
        var codes = new int[p][];
        for (int j = 0; j < p; j++) codes[j] = Discretise(x.Column(j));
        var labelCodes = labels.ToArray();
        var relevance = new double[p];
        for (int j = 0; j < p; j++) relevance[j] = MutualInformation(codes[j], labelCodes, Bins, 2);
        var redundancySum = new double[p];
        var selected = new List<int>();
        var chosen = new bool[p];
        while (selected.Count < count)
        {
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int j = 0; j < p; j++)
            {
                if (chosen[j]) continue;
                double score = relevance[j] - (selected.Count == 0 ? 0 : redundancySum[j] / selected.Count);
                if (score > bestScore) { bestScore = score; best = j; }
            }
            selected.Add(best);
            chosen[best] = true;
            for (int j = 0; j < p; j++)
                if (!chosen[j]) redundancySum[j] += MutualInformation(codes[j], codes[best], Bins, Bins);
        }
        return selected.ToArray();
    }

    /// <summary>Equal-frequency bin (0..Bins−1) of each value by its mid-rank; ties share a bin.</summary>
    internal static int[] Discretise(double[] values)
    {
        var ranks = Metrics.Ranks.MidRanks(values);
        var codes = new int[values.Length];
        for (int i = 0; i < values.Length; i++) codes[i] = Math.Min(Bins - 1, (int)((ranks[i] - 0.5) * Bins / values.Length));
        return codes;
    }

    /// <summary>Plug-in mutual information (nats) of two discrete codings.</summary>
    internal static double MutualInformation(int[] a, int[] b, int aLevels, int bLevels)
    {
        int n = a.Length;
        Span<int> joint = stackalloc int[aLevels * bLevels];
        Span<int> ma = stackalloc int[aLevels];
        Span<int> mb = stackalloc int[bLevels];
        joint.Clear(); ma.Clear(); mb.Clear();
        for (int i = 0; i < n; i++) { joint[a[i] * bLevels + b[i]]++; ma[a[i]]++; mb[b[i]]++; }
        double mi = 0;
        for (int u = 0; u < aLevels; u++)
            for (int v = 0; v < bLevels; v++)
            {
                int c = joint[u * bLevels + v];
                if (c > 0) mi += (double)c / n * Math.Log((double)c * n / ((double)ma[u] * mb[v]));
            }
        return mi;
    }
}
