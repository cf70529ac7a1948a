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

    /// <param name="values">ROI intensities (any order; reordered).</param>
    /// <param name="levels">Discretised grey level of each ROI voxel (1…N_g).</param>
    /// <param name="voxelVolume">Volume of one voxel, mm³.</param>
    public static void Compute(double[] values, int[] levels, double voxelVolume, double shift, Action<string, double> add)
    {
        int n = values.Length;
        double sum = 0, energy = 0, minimum = double.PositiveInfinity, maximum = double.NegativeInfinity;
        foreach (var x in values)
        {
            sum += x;
            energy += (x + shift) * (x + shift);
            minimum = Math.Min(minimum, x);
            maximum = Math.Max(maximum, x);
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
        var percentiles = new Percentiles(values, [10, 25, 50, 75, 90]);
        double p10 = percentiles[10], p90 = percentiles[90];

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
        add("Minimum", minimum);
        add("10Percentile", p10);
        add("90Percentile", p90);
        add("Maximum", maximum);
        add("Mean", mean);
        add("Median", percentiles[50]);
        add("InterquartileRange", percentiles[75] - percentiles[25]);
        add("Range", maximum - minimum);
        add("MeanAbsoluteDeviation", absolute / n);                          // mean |x − x̄|
        add("RobustMeanAbsoluteDeviation", RobustMeanAbsoluteDeviation(values, p10, p90));
        add("RootMeanSquared", Math.Sqrt(energy / n));                       // √(Σ (x + c)² / N_p)
        add("Skewness", m2 == 0 ? 0 : m3 / Math.Pow(m2, 1.5));               // μ3 / σ³, 0 for a flat region
        add("Kurtosis", m2 == 0 ? 0 : m4 / (m2 * m2));                       // μ4 / σ⁴ (not minus 3)
        add("Variance", m2);                                                 // population variance
        add("Uniformity", uniformity);
    }

    /// <summary>Mean |x − x̄₁₀₋₉₀| over the voxels between the 10th and 90th percentiles (inclusive).</summary>
    private static double RobustMeanAbsoluteDeviation(double[] values, double p10, double p90)
    {
        double sum = 0;
        int count = 0;
        foreach (var x in values)
            if (x >= p10 && x <= p90) { sum += x; count++; }
        double mean = sum / count, deviation = 0;
        foreach (var x in values)
            if (x >= p10 && x <= p90) deviation += Math.Abs(x - mean);
        return deviation / count;
    }

    /// <summary>
    /// numpy.percentile's default ("linear") for a few q at once, from the order statistics they need (found by
    /// <see cref="OrderStatistics.Select"/>, not by sorting), with numpy's two-sided interpolation formula.
    /// </summary>
    private sealed class Percentiles
    {
        private readonly Dictionary<double, double> byQ = [];

        /// <param name="values">Reordered.</param>
        public Percentiles(double[] values, double[] qs)
        {
            int last = values.Length - 1;
            var ranks = new SortedSet<int>();
            foreach (var q in qs)
            {
                int below = (int)Math.Floor(q / 100 * last);
                ranks.Add(below);
                ranks.Add(Math.Min(below + 1, last));
            }
            var wanted = ranks.ToArray();
            var ordered = new double[wanted.Length];
            OrderStatistics.Select(values, wanted, ordered);
            double At(int rank) => ordered[Array.BinarySearch(wanted, rank)];
            foreach (var q in qs)
            {
                double position = q / 100 * last;
                int below = (int)Math.Floor(position);
                double t = position - below, a = At(below), b = At(Math.Min(below + 1, last)), difference = b - a;
                byQ[q] = t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
            }
        }

        public double this[double q] => byQ[q];
    }
}

/// <summary>
/// Order statistics without a full sort: the values at some ranks of the ascending order, by quickselect with a
/// three-way partition (equal keys end in the middle part) that descends only into the parts holding a wanted rank;
/// expected O(n log k) for k ranks, and a plain sort of any part once the recursion is deeper than 2 log2 n.
/// </summary>
internal static class OrderStatistics
{
    /// <param name="values">Reordered.</param>
    /// <param name="ranks">Distinct 0-based ranks, ascending.</param>
    /// <param name="results">The value at each rank.</param>
    public static void Select(Span<double> values, ReadOnlySpan<int> ranks, Span<double> results) =>
        Select(values, 0, ranks, results, 2 * (int)Math.Log2(values.Length + 1) + 2);

    private static void Select(Span<double> values, int offset, ReadOnlySpan<int> ranks, Span<double> results, int depth)
    {
        while (ranks.Length > 0)
        {
            if (values.Length <= 32 || depth-- == 0)
            {
                values.Sort();
                for (int r = 0; r < ranks.Length; r++) results[r] = values[ranks[r] - offset];
                return;
            }
            double pivot = MedianOfThree(values[0], values[values.Length / 2], values[^1]);
            int less = 0, i = 0, greater = values.Length;
            while (i < greater)
            {
                double v = values[i];
                if (v < pivot) { values[i++] = values[less]; values[less++] = v; }
                else if (v > pivot) { values[i] = values[--greater]; values[greater] = v; }
                else i++;
            }
            int left = 0;
            while (left < ranks.Length && ranks[left] < offset + less) left++;
            int middle = left;
            while (middle < ranks.Length && ranks[middle] < offset + greater) results[middle++] = pivot;
            Select(values[..less], offset, ranks[..left], results[..left], depth);
            values = values[greater..];
            offset += greater;
            ranks = ranks[middle..];
            results = results[middle..];
        }
    }

    private static double MedianOfThree(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
