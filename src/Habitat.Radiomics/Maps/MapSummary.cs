using System.Globalization;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// Summaries of a per-voxel map over the ROI: mean, median, variance, skewness, kurtosis and interquartile range.
/// Moments are population moments as in IBSI first-order statistics (variance ECT3, skewness KE2A, excess
/// kurtosis IPH6); quantiles interpolate linearly between order statistics (Hyndman–Fan type 7).
/// </summary>
public static class MapSummary
{
    public static readonly string[] Names = ["mean", "median", "variance", "skewness", "kurtosis", "iqr"];

    /// <summary>One feature per summary of the map's finite values, tagged <c>{map name}.{summary}</c>; NaN values when the map is empty.</summary>
    public static IEnumerable<Feature> Summarise(FeatureMap map)
    {
        var values = map.RoiValues();
        Span<double> summary = stackalloc double[6];
        Compute(values, summary);
        var features = new Feature[Names.Length];
        for (int n = 0; n < Names.Length; n++)
            features[n] = new Feature(string.Create(CultureInfo.InvariantCulture, $"{map.Name}.{Names[n]}"), "", "", summary[n]);
        return features;
    }

    /// <summary>Summaries of <paramref name="values"/> (sorted in place) in <see cref="Names"/> order.</summary>
    public static void Compute(double[] values, Span<double> result)
    {
        int n = values.Length;
        if (n == 0) { result[..6].Fill(double.NaN); return; }
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in values)
        {
            double d = v - mean, d2 = d * d;
            m2 += d2; m3 += d2 * d; m4 += d2 * d2;
        }
        m2 /= n; m3 /= n; m4 /= n;
        Array.Sort(values);
        result[0] = mean;
        result[1] = Quantile(values, 0.5);
        result[2] = m2;
        // a constant map has no shape: skewness 0 and excess kurtosis 0 by convention (IBSI leaves 0/0 undefined)
        result[3] = m2 > 0 ? m3 / Math.Pow(m2, 1.5) : 0;
        result[4] = m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
        result[5] = Quantile(values, 0.75) - Quantile(values, 0.25);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
