using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI intensity-based statistical features (family UHIW): the intensities X of the N_v voxels of the intensity mask,
/// without discretisation.
/// </summary>
public static class IntensityStatistics
{
    public static void Compute(RoiImage roi, List<Feature> output)
    {
        var x = IntensitiesAscending(roi);
        var s = new SortedSample(x).Summarise();
        double energy = s.SumOfSquares;

        Add(output, "stat.mean", "Q4LE", s.Mean);                          // IBSI Q4LE: mean
        Add(output, "stat.var", "ECT3", s.Variance);                       // IBSI ECT3: variance (divided by N_v)
        Add(output, "stat.skew", "KE2A", s.Skewness);                      // IBSI KE2A: skewness m3 / m2^1.5 (0 when m2 = 0)
        Add(output, "stat.kurt", "IPH6", s.ExcessKurtosis);                // IBSI IPH6: excess kurtosis m4 / m2² - 3
        Add(output, "stat.median", "Y12H", s.Median);                      // IBSI Y12H: median
        Add(output, "stat.min", "1GSF", s.Min);                            // IBSI 1GSF: minimum
        Add(output, "stat.P10", "QG58", s.P10);                            // IBSI QG58: 10th percentile
        Add(output, "stat.P90", "8DWT", s.P90);                            // IBSI 8DWT: 90th percentile
        Add(output, "stat.max", "84IY", s.Max);                            // IBSI 84IY: maximum
        Add(output, "stat.iqr", "SALO", s.InterquartileRange);             // IBSI SALO: P75 - P25
        Add(output, "stat.range", "2OJQ", s.Range);                        // IBSI 2OJQ: max - min
        Add(output, "stat.mad", "4FUA", s.MeanAbsoluteDeviation);          // IBSI 4FUA: mean |X - mean|
        Add(output, "stat.rmad", "1128", s.RobustMeanAbsoluteDeviation);   // IBSI 1128: MAD of the voxels within [P10, P90]
        Add(output, "stat.medad", "N72L", s.MedianAbsoluteDeviation);      // IBSI N72L: mean |X - median|
        Add(output, "stat.cov", "7TET", s.CoefficientOfVariation);         // IBSI 7TET: sqrt(var) / mean
        Add(output, "stat.qcod", "9S40", s.QuartileCoefficientOfDispersion); // IBSI 9S40: (P75 - P25) / (P75 + P25)
        Add(output, "stat.energy", "N8CA", energy);                        // IBSI N8CA: sum of X²
        Add(output, "stat.rms", "5ZWQ", Math.Sqrt(energy / x.Length));     // IBSI 5ZWQ: sqrt(sum X² / N_v)
    }

    /// <summary>The intensities of the intensity-mask voxels in ascending order.</summary>
    private static double[] IntensitiesAscending(RoiImage roi)
    {
        var values = MaskedValues.Gather(roi.Intensities, roi.IntensityMask);
        if (values.Length == 0) throw new EmptyRoiException("the intensity mask is empty");
        RadixSort.Sort(values);
        var x = new double[values.Length];
        for (int n = 0; n < x.Length; n++) x[n] = values[n];
        return x;
    }

    private static void Add(List<Feature> output, string tag, string code, double value) => output.Add(new Feature(tag, code, "", value));
}
