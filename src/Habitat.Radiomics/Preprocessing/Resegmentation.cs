using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Preprocessing;

/// <summary>
/// Re-segmentation (IBSI chapter "Re-segmentation"): voxels of the ROI whose intensity falls outside the range
/// leave the intensity mask. Range re-segmentation keeps [min, max]; outlier filtering keeps
/// [mean - k·SD, mean + k·SD] of the ROI's intensities (population SD). With both active a voxel must pass both:
/// the kept interval is the intersection, each computed on the ROI as segmented.
/// </summary>
public static class Resegmentation
{
    /// <summary>The interval of kept intensities (inclusive) for the voxels of <paramref name="mask"/>.</summary>
    public static (double Min, double Max) KeptRange(ReadOnlySpan<float> intensities, ReadOnlySpan<byte> mask, ResegmentationSettings settings)
    {
        double min = settings.RangeMin ?? double.NegativeInfinity;
        double max = settings.RangeMax ?? double.PositiveInfinity;
        if (settings.OutlierSigma is { } sigma)
        {
            var (mean, sd) = MeanAndSd(intensities, mask);
            min = Math.Max(min, mean - sigma * sd);
            max = Math.Min(max, mean + sigma * sd);
        }
        return (min, max);
    }

    /// <summary>The intensity mask: a copy of <paramref name="mask"/> without the voxels outside the kept range.</summary>
    public static byte[] Apply(ReadOnlySpan<float> intensities, ReadOnlySpan<byte> mask, ResegmentationSettings settings)
    {
        var (min, max) = KeptRange(intensities, mask, settings);
        var result = new byte[mask.Length];
        for (int n = 0; n < mask.Length; n++)
            result[n] = mask[n] != 0 && intensities[n] >= min && intensities[n] <= max ? (byte)1 : (byte)0;
        return result;
    }

    private static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<float> intensities, ReadOnlySpan<byte> mask)
    {
        double sum = 0;
        long count = 0;
        for (int n = 0; n < mask.Length; n++)
            if (mask[n] != 0) { sum += intensities[n]; count++; }
        if (count == 0) return (0, 0);
        double mean = sum / count, squares = 0;
        for (int n = 0; n < mask.Length; n++)
            if (mask[n] != 0) { double d = intensities[n] - mean; squares += d * d; }
        return (mean, Math.Sqrt(squares / count));
    }
}
