using Habitat.Learning.Data;
using Habitat.Learning.Metrics;

namespace Habitat.Learning.Preprocessing;

/// <summary>Unsupervised and relevance-aware column filters, fitted on training rows; each returns the kept columns.</summary>
public static class FeatureFilters
{
    /// <summary>
    /// Drops constant and near-constant columns: zero spread, or one value shared by at least
    /// <paramref name="maxDominantFraction"/> of the rows (the "frequency" criterion of caret's nearZeroVar).
    /// </summary>
    public static int[] NonConstant(FeatureMatrix x, double maxDominantFraction)
    {
        if (!(maxDominantFraction > 0 && maxDominantFraction <= 1)) throw new ArgumentException($"dominant fraction must be in (0, 1], got {maxDominantFraction}");
        var kept = new List<int>();
        var column = new double[x.Rows];
        for (int j = 0; j < x.Columns; j++)
        {
            for (int i = 0; i < x.Rows; i++) column[i] = x[i, j];
            Array.Sort(column);
            int longestRun = 1, run = 1;
            for (int i = 1; i < column.Length; i++)
            {
                run = column[i] == column[i - 1] ? run + 1 : 1;
                longestRun = Math.Max(longestRun, run);
            }
            bool constant = column.Length == 0 || column[0] == column[^1];
            if (!constant && longestRun < maxDominantFraction * x.Rows) kept.Add(j);
        }
        return kept.ToArray();
    }

    /// <summary>
    /// Drops one feature of every pair with |Pearson r| above <paramref name="threshold"/>, keeping the more relevant:
    /// features are visited in order of decreasing relevance |AUC − ½| on the training labels and a feature is kept
    /// only if it is not too correlated with any already kept feature. Returns kept columns in their original order.
    /// </summary>
    public static int[] Decorrelated(FeatureMatrix x, ReadOnlySpan<int> labels, double threshold)
    {
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentException($"correlation threshold must be in (0, 1], got {threshold}");
        int p = x.Columns;
        var standardised = Standardised(x);
        var relevance = new double[p];
        for (int j = 0; j < p; j++) relevance[j] = Math.Abs(RocAuc.Compute(x.Column(j), labels) - 0.5);
        var order = Enumerable.Range(0, p).OrderByDescending(j => relevance[j]).ThenBy(j => j).ToArray();
        var kept = new List<int>();
        foreach (var j in order)
        {
            bool redundant = false;
            foreach (var k in kept)
                if (Math.Abs(Correlation(standardised[j], standardised[k])) > threshold) { redundant = true; break; }
            if (!redundant) kept.Add(j);
        }
        kept.Sort();
        return kept.ToArray();
    }

    /// <summary>Columns centred and scaled to unit norm, so that a dot product is Pearson's r.</summary>
    internal static double[][] Standardised(FeatureMatrix x)
    {
        var result = new double[x.Columns][];
        for (int j = 0; j < x.Columns; j++)
        {
            var c = x.Column(j);
            double mean = c.Average(), norm = 0;
            for (int i = 0; i < c.Length; i++) { c[i] -= mean; norm += c[i] * c[i]; }
            norm = Math.Sqrt(norm);
            if (norm > 0) for (int i = 0; i < c.Length; i++) c[i] /= norm;
            result[j] = c;
        }
        return result;
    }

    internal static double Correlation(double[] a, double[] b) => System.Numerics.Tensors.TensorPrimitives.Dot<double>(a, b);
}
