using Habitat.Learning.Data;

namespace Habitat.Learning.Preprocessing;

/// <summary>
/// Standardisation fitted on training rows: x' = (x − mean) / sd with the population SD (divisor n).
/// A feature with zero SD on the training rows is only centred (divisor 1), as scikit-learn's StandardScaler does.
/// </summary>
public sealed record ZScore(double[] Means, double[] StandardDeviations)
{
    public static ZScore Fit(FeatureMatrix x)
    {
        int n = x.Rows, p = x.Columns;
        if (n == 0) throw new ArgumentException("cannot fit a z-score on zero rows");
        var mean = new double[p];
        var sd = new double[p];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < p; j++) mean[j] += row[j];
        }
        for (int j = 0; j < p; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < p; j++) { double d = row[j] - mean[j]; sd[j] += d * d; }
        }
        for (int j = 0; j < p; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / n);
            if (sd[j] == 0) sd[j] = 1;
        }
        return new ZScore(mean, sd);
    }

    public void TransformInPlace(Span<double> row)
    {
        for (int j = 0; j < row.Length; j++) row[j] = (row[j] - Means[j]) / StandardDeviations[j];
    }

    public FeatureMatrix Transform(FeatureMatrix x)
    {
        if (x.Columns != Means.Length) throw new ArgumentException($"expected {Means.Length} features, got {x.Columns}");
        var result = x.Clone();
        for (int i = 0; i < result.Rows; i++) TransformInPlace(result.Row(i));
        return result;
    }
}
