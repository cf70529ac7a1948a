using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI intensity histogram features (family ZVCW): the discretised grey levels X_d of the intensity-mask voxels,
/// their histogram H_i over the levels i = 1…N_g and the probabilities p_i = H_i / N_v.
/// </summary>
public static class IntensityHistogram
{
    public static void Compute(DiscretisedRoi roi, List<Feature> output) => Compute(Histogram(roi), output);

    /// <summary>The features of a histogram of voxel counts per grey level (index 0 unused, 1…N_g).</summary>
    public static void Compute(long[] histogram, List<Feature> output)
    {
        int levelCount = histogram.Length - 1;
        long voxels = 0;
        for (int i = 1; i <= levelCount; i++) voxels += histogram[i];
        if (voxels == 0) throw new EmptyRoiException("the intensity mask is empty");

        var ascending = new double[voxels];
        for (int i = 1, v = 0; i <= levelCount; i++)
            for (long c = 0; c < histogram[i]; c++) ascending[v++] = i;
        var s = new SortedSample(ascending).Summarise();

        Add(output, "ih.mean", "X6K6", s.Mean);                            // IBSI X6K6: mean grey level
        Add(output, "ih.var", "CH89", s.Variance);                         // IBSI CH89: variance
        Add(output, "ih.skew", "88K1", s.Skewness);                        // IBSI 88K1: skewness
        Add(output, "ih.kurt", "C3I7", s.ExcessKurtosis);                  // IBSI C3I7: excess kurtosis
        Add(output, "ih.median", "WIFQ", s.Median);                        // IBSI WIFQ: median
        Add(output, "ih.min", "1PR8", s.Min);                              // IBSI 1PR8: minimum
        Add(output, "ih.P10", "GPMT", s.P10);                              // IBSI GPMT: 10th percentile
        Add(output, "ih.P90", "OZ0C", s.P90);                              // IBSI OZ0C: 90th percentile
        Add(output, "ih.max", "3NCY", s.Max);                              // IBSI 3NCY: maximum
        Add(output, "ih.mode", "AMMC", Mode(histogram));                   // IBSI AMMC: most frequent level
        Add(output, "ih.iqr", "WR0O", s.InterquartileRange);               // IBSI WR0O: P75 - P25
        Add(output, "ih.range", "5Z3W", s.Range);                          // IBSI 5Z3W: max - min
        Add(output, "ih.mad", "D2ZX", s.MeanAbsoluteDeviation);            // IBSI D2ZX: mean absolute deviation
        Add(output, "ih.rmad", "WRZB", s.RobustMeanAbsoluteDeviation);     // IBSI WRZB: robust mean absolute deviation
        Add(output, "ih.medad", "4RNL", s.MedianAbsoluteDeviation);        // IBSI 4RNL: median absolute deviation
        Add(output, "ih.cov", "CWYJ", s.CoefficientOfVariation);           // IBSI CWYJ: coefficient of variation
        Add(output, "ih.qcod", "SLWD", s.QuartileCoefficientOfDispersion); // IBSI SLWD: quartile coefficient of dispersion
        Add(output, "ih.entropy", "TLU2", Entropy(histogram, voxels));     // IBSI TLU2: -sum p_i log2 p_i
        Add(output, "ih.uniformity", "BJ5W", Uniformity(histogram, voxels)); // IBSI BJ5W: sum p_i²

        var gradient = Gradient(histogram);
        int maxAt = 1, minAt = 1;
        for (int i = 2; i <= levelCount; i++)
        {
            if (gradient[i] > gradient[maxAt]) maxAt = i;
            if (gradient[i] < gradient[minAt]) minAt = i;
        }
        Add(output, "ih.max.grad", "12CE", gradient[maxAt]);               // IBSI 12CE: maximum histogram gradient
        Add(output, "ih.max.grad.gl", "8E6O", maxAt);                      // IBSI 8E6O: level of the maximum gradient
        Add(output, "ih.min.grad", "VQB3", gradient[minAt]);               // IBSI VQB3: minimum histogram gradient
        Add(output, "ih.min.grad.gl", "RHQZ", minAt);                      // IBSI RHQZ: level of the minimum gradient
    }

    /// <summary>Voxel count per grey level; index 0 unused, 1…N_g.</summary>
    internal static long[] Histogram(DiscretisedRoi roi)
    {
        var histogram = new long[roi.LevelCount + 1];
        foreach (var level in roi.Levels)
            if (level > 0) histogram[level]++;
        return histogram;
    }

    /// <summary>The most frequent level; the lowest of several equally frequent ones.</summary>
    private static int Mode(long[] histogram)
    {
        int mode = 1;
        for (int i = 2; i < histogram.Length; i++) if (histogram[i] > histogram[mode]) mode = i;
        return mode;
    }

    private static double Entropy(long[] histogram, long voxels)
    {
        double sum = 0;
        for (int i = 1; i < histogram.Length; i++)
        {
            if (histogram[i] == 0) continue;
            double p = (double)histogram[i] / voxels;
            sum -= p * Math.Log2(p);
        }
        return sum;
    }

    private static double Uniformity(long[] histogram, long voxels)
    {
        double sum = 0;
        for (int i = 1; i < histogram.Length; i++)
        {
            double p = (double)histogram[i] / voxels;
            sum += p * p;
        }
        return sum;
    }

    /// <summary>
    /// Histogram gradient: H_2 - H_1 at the first level, (H_{i+1} - H_{i-1}) / 2 inside, H_{N_g} - H_{N_g - 1} at the last;
    /// 0 when there is a single level.
    /// </summary>
    private static double[] Gradient(long[] histogram)
    {
        int ng = histogram.Length - 1;
        var g = new double[ng + 1];
        if (ng == 1) return g;
        g[1] = histogram[2] - histogram[1];
        for (int i = 2; i < ng; i++) g[i] = (histogram[i + 1] - histogram[i - 1]) / 2.0;
        g[ng] = histogram[ng] - histogram[ng - 1];
        return g;
    }

    private static void Add(List<Feature> output, string tag, string code, double value) => output.Add(new Feature(tag, code, "", value));
}
