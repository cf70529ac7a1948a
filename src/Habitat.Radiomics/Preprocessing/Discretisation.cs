using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Preprocessing;

/// <summary>
/// Intensity discretisation (IBSI chapter "Intensity discretisation") for the intensity histogram and texture families.
/// Fixed bin number (IBSI K15C): level = floor(N_g (x - X_min) / (X_max - X_min)) + 1, with x = X_max mapped to N_g;
/// X_min and X_max are the extremes of the intensity-mask voxels.
/// Fixed bin size (IBSI Q3RU): level = floor((x - X_min) / w) + 1, with X_min the lower bound of the
/// re-segmentation range when one is set, otherwise the ROI minimum; N_g is the highest level that occurs.
/// </summary>
public static class Discretisation
{
    public static DiscretisedRoi Apply(RoiImage roi, DiscretisationSettings settings, ResegmentationSettings resegmentation)
    {
        var (min, max) = IntensityRange(roi);
        var levels = new int[roi.Intensities.Length];
        int levelCount;
        if (settings.Method == DiscretisationMethod.FixedBinNumber)
        {
            int bins = settings.BinCount ?? throw new ArgumentException("fixed bin number needs a bin count", nameof(settings));
            levelCount = bins;
            FixedBinNumber(roi.Intensities, roi.IntensityMask, min, max, bins, levels);
        }
        else
        {
            double width = settings.BinWidth ?? throw new ArgumentException("fixed bin size needs a bin width", nameof(settings));
            double lowest = resegmentation.RangeMin ?? min;
            levelCount = FixedBinSize(roi.Intensities, roi.IntensityMask, lowest, width, levels);
        }
        return new DiscretisedRoi(roi.Grid, levels, levelCount, roi.MorphologicalMask);
    }

    /// <summary>Minimum and maximum intensity inside the intensity mask.</summary>
    public static (double Min, double Max) IntensityRange(RoiImage roi)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        var x = roi.Intensities;
        var mask = roi.IntensityMask;
        for (int n = 0; n < x.Length; n++)
        {
            if (mask[n] == 0) continue;
            if (x[n] < min) min = x[n];
            if (x[n] > max) max = x[n];
        }
        if (min > max) throw new EmptyRoiException("the intensity mask is empty");
        return (min, max);
    }

    /// <summary>Writes levels 1…<paramref name="bins"/> inside the mask (0 outside); a constant ROI is all level 1.</summary>
    public static void FixedBinNumber(ReadOnlySpan<float> x, ReadOnlySpan<byte> mask, double min, double max, int bins, Span<int> levels)
    {
        double scale = max > min ? bins / (max - min) : 0;
        for (int n = 0; n < x.Length; n++)
            levels[n] = mask[n] == 0 ? 0 : Math.Clamp((int)Math.Floor((x[n] - min) * scale) + 1, 1, bins);
    }

    /// <summary>Writes levels floor((x - lowest) / width) + 1 inside the mask (0 outside); returns the highest level.</summary>
    public static int FixedBinSize(ReadOnlySpan<float> x, ReadOnlySpan<byte> mask, double lowest, double width, Span<int> levels)
    {
        int highest = 1;
        for (int n = 0; n < x.Length; n++)
        {
            if (mask[n] == 0) { levels[n] = 0; continue; }
            // Voxels below the lower bound only occur without range re-segmentation; they share the first bin.
            int level = Math.Max(1, (int)Math.Floor((x[n] - lowest) / width) + 1);
            levels[n] = level;
            if (level > highest) highest = level;
        }
        return highest;
    }
}
