namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' first-order features of the ROI intensities x (N_p voxels). Differences from IBSI's intensity
/// statistics: Energy, TotalEnergy and RootMeanSquared add <c>voxelArrayShift</c> c to every intensity; Kurtosis is
/// not the excess kurtosis; Entropy and Uniformity use the discretised grey levels (−Σ p log2(p + ε), Σ p²);
/// percentiles interpolate linearly between order statistics (numpy's default).
/// </summary>
internal static class PyFirstOrder
{
    private const double Eps = 2.220446049250313e-16;

    /// <param name="values">ROI intensities (any order; sorted in place).</param>
    /// <param name="levels">Discretised grey level of each ROI voxel (1…N_g).</param>
    /// <param name="voxelVolume">Volume of one voxel, mm³.</param>
    public static void Compute(double[] values, int[] levels, double voxelVolume, double shift, Action<string, double> add)
    {
        Array.Sort(values);
        int n = values.Length;
        double sum = 0, energy = 0;
        foreach (var x in values)
        {
            sum += x;
            energy += (x + shift) * (x + shift);
        }
        double mean = sum / n;
        double m2 = 0, m3 = 0, m4 = 0, absolute = 0;
        foreach (var x in values)
        {
            double d = x - mean, d2 = d * d;
            m2 += d2; m3 += d2 * d; m4 += d2 * d2;
            absolute += Math.Abs(d);
        }
        m2 /= n; m3 /= n; m4 /= n;
        double p10 = Percentile(values, 10), p90 = Percentile(values, 90);

        int maxLevel = 0;
        foreach (var l in levels) maxLevel = Math.Max(maxLevel, l);
        var histogram = new long[maxLevel + 1];
        foreach (var l in levels) histogram[l]++;
        double entropy = 0, uniformity = 0;
        for (int l = 1; l <= maxLevel; l++)
        {
            double p = (double)histogram[l] / n;
            entropy -= p * Math.Log2(p + Eps);
            uniformity += p * p;
        }

        add("Energy", energy);                                               // Σ (x + c)²
        add("TotalEnergy", energy * voxelVolume);                            // V_voxel Σ (x + c)²
        add("Entropy", entropy);
        add("Minimum", values[0]);
        add("10Percentile", p10);
        add("90Percentile", p90);
        add("Maximum", values[^1]);
        add("Mean", mean);
        add("Median", Percentile(values, 50));
        add("InterquartileRange", Percentile(values, 75) - Percentile(values, 25));
        add("Range", values[^1] - values[0]);
        add("MeanAbsoluteDeviation", absolute / n);                          // mean |x − x̄|
        add("RobustMeanAbsoluteDeviation", RobustMeanAbsoluteDeviation(values, p10, p90));
        add("RootMeanSquared", Math.Sqrt(energy / n));                       // √(Σ (x + c)² / N_p)
        add("Skewness", m2 == 0 ? 0 : m3 / Math.Pow(m2, 1.5));               // μ3 / σ³, 0 for a flat region
        add("Kurtosis", m2 == 0 ? 0 : m4 / (m2 * m2));                       // μ4 / σ⁴ (not minus 3)
        add("Variance", m2);                                                 // population variance
        add("Uniformity", uniformity);
    }

    /// <summary>Mean |x − x̄₁₀₋₉₀| over the voxels between the 10th and 90th percentiles (inclusive).</summary>
    private static double RobustMeanAbsoluteDeviation(double[] sorted, double p10, double p90)
    {
        double sum = 0;
        int count = 0;
        foreach (var x in sorted)
            if (x >= p10 && x <= p90) { sum += x; count++; }
        double mean = sum / count, deviation = 0;
        foreach (var x in sorted)
            if (x >= p10 && x <= p90) deviation += Math.Abs(x - mean);
        return deviation / count;
    }

    /// <summary>numpy.percentile's default ("linear") of sorted values, with numpy's two-sided interpolation formula.</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        double position = q / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double t = position - below, a = sorted[below], b = sorted[above], difference = b - a;
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }
}
