namespace Habitat.Radiomics.Features;

/// <summary>
/// Descriptive statistics of a sample held in ascending order, shared by the intensity-based statistics and the
/// intensity histogram, which IBSI defines with the same formulas (on intensities and on grey levels respectively).
/// </summary>
internal readonly ref struct SortedSample
{
    private readonly ReadOnlySpan<double> _x;

    public SortedSample(ReadOnlySpan<double> ascending) => _x = ascending;

    public int Count => _x.Length;
    public double Min => _x[0];
    public double Max => _x[^1];

    public double Mean()
    {
        double sum = 0;
        foreach (var v in _x) sum += v;
        return sum / _x.Length;
    }

    /// <summary>Percentile p (0…100) with linear interpolation between order statistics at rank p/100·(N - 1), as numpy's default.</summary>
    public double Percentile(double p)
    {
        double rank = p / 100 * (_x.Length - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, _x.Length - 1);
        return _x[lo] + (rank - lo) * (_x[hi] - _x[lo]);
    }

    /// <summary>Mean of |x - centre|.</summary>
    public double MeanAbsoluteDeviation(double centre)
    {
        double sum = 0;
        foreach (var v in _x) sum += Math.Abs(v - centre);
        return sum / _x.Length;
    }

    /// <summary>Mean absolute deviation from their own mean of the values in [P10, P90].</summary>
    public double RobustMeanAbsoluteDeviation()
    {
        double p10 = Percentile(10), p90 = Percentile(90);
        int lo = 0, hi = _x.Length;
        while (lo < hi && _x[lo] < p10) lo++;
        while (hi > lo && _x[hi - 1] > p90) hi--;
        var inner = new SortedSample(_x[lo..hi]);
        return inner.MeanAbsoluteDeviation(inner.Mean());
    }

    /// <summary>The features IBSI defines identically for intensities and grey levels, and Σ x².</summary>
    /// <remarks>Sums that need the same inputs run in the same pass: each is still added in ascending order (the
    /// values equal those of separate loops), but their dependency chains overlap instead of running one after another.</remarks>
    public Summary Summarise()
    {
        double sum = 0, squares = 0;
        foreach (var v in _x)
        {
            sum += v;
            squares += v * v;
        }
        int n = _x.Length;
        double mean = sum / n;
        double p25 = Percentile(25), p75 = Percentile(75), median = Percentile(50);
        double m2 = 0, m3 = 0, m4 = 0, fromMean = 0, fromMedian = 0;
        foreach (var v in _x)
        {
            double d = v - mean, d2 = d * d;
            m2 += d2; m3 += d2 * d; m4 += d2 * d2;
            fromMean += Math.Abs(v - mean);
            fromMedian += Math.Abs(v - median);
        }
        m2 /= n; m3 /= n; m4 /= n;
        return new Summary(
            Mean: mean,
            Variance: m2,
            Skewness: m2 > 0 ? m3 / Math.Pow(m2, 1.5) : 0,
            ExcessKurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : 0,
            Median: median,
            Min: Min,
            P10: Percentile(10),
            P90: Percentile(90),
            Max: Max,
            InterquartileRange: p75 - p25,
            Range: Max - Min,
            MeanAbsoluteDeviation: fromMean / n,
            RobustMeanAbsoluteDeviation: RobustMeanAbsoluteDeviation(),
            MedianAbsoluteDeviation: fromMedian / n,
            CoefficientOfVariation: Math.Sqrt(m2) / mean,
            QuartileCoefficientOfDispersion: (p75 - p25) / (p75 + p25),
            SumOfSquares: squares);
    }

    public readonly record struct Summary(
        double Mean, double Variance, double Skewness, double ExcessKurtosis, double Median, double Min, double P10,
        double P90, double Max, double InterquartileRange, double Range, double MeanAbsoluteDeviation,
        double RobustMeanAbsoluteDeviation, double MedianAbsoluteDeviation, double CoefficientOfVariation,
        double QuartileCoefficientOfDispersion, double SumOfSquares);
}
