using Habitat.Imaging.Processing;
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
    /// <summary>
    /// The discretised ROI on the bounding box of the morphological mask grown by one background voxel (texture
    /// families need no voxel beyond the ROI; the border keeps every ROI edge inside the grid).
    /// </summary>
    public static DiscretisedRoi Apply(RoiImage roi, DiscretisationSettings settings, ResegmentationSettings resegmentation)
    {
        var (min, max) = IntensityRange(roi);
        var box = Box.Bounding(roi.Grid, roi.MorphologicalMask).Grow(roi.Grid, 1, 1, 1);
        var grid = box.SubGrid(roi.Grid);
        var x = box.Extract(roi.Grid, roi.Intensities);
        var mask = box.Extract(roi.Grid, roi.IntensityMask);
        var levels = new int[x.Length];
        int levelCount;
        if (settings.Method == DiscretisationMethod.FixedBinNumber)
        {
            int bins = settings.BinCount ?? throw new ArgumentException("fixed bin number needs a bin count", nameof(settings));
            levelCount = bins;
            FixedBinNumber(x, mask, min, max, bins, levels);
        }
        else
        {
            double width = settings.BinWidth ?? throw new ArgumentException("fixed bin size needs a bin width", nameof(settings));
            double lowest = resegmentation.RangeMin ?? min;
            levelCount = FixedBinSize(x, mask, lowest, width, levels);
        }
        return new DiscretisedRoi(grid, levels, levelCount, box.Extract(roi.Grid, roi.MorphologicalMask));
    }

    /// <summary>Minimum and maximum intensity inside the intensity mask.</summary>
    public static (double Min, double Max) IntensityRange(RoiImage roi)
    {
        var values = MaskedValues.Gather(roi.Intensities, roi.IntensityMask);
        if (values.Length == 0) throw new EmptyRoiException("the intensity mask is empty");
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max);
    }

    /// <summary>Bins per intensity unit of fixed bin number; 0 for a constant ROI (every voxel level 1).</summary>
    public static double Scale(double min, double max, int bins) => max > min ? bins / (max - min) : 0;

    /// <summary>Level 1…<paramref name="bins"/> of intensity <paramref name="x"/> (the maximum goes to the last bin).</summary>
    public static int FixedBinNumber(double x, double min, double scale, int bins) =>
        Math.Clamp((int)Math.Floor((x - min) * scale) + 1, 1, bins);

    /// <summary>Level floor((x - lowest) / width) + 1; intensities below the lower bound (possible only without range
    /// re-segmentation) share the first level.</summary>
    public static int FixedBinSize(double x, double lowest, double width) =>
        Math.Max(1, (int)Math.Floor((x - lowest) / width) + 1);

    /// <summary>Writes levels 1…<paramref name="bins"/> inside the mask (0 outside); a constant ROI is all level 1.</summary>
    public static void FixedBinNumber(ReadOnlySpan<float> x, ReadOnlySpan<byte> mask, double min, double max, int bins, Span<int> levels)
    {
        double scale = Scale(min, max, bins);
        for (int n = 0; n < x.Length; n++) levels[n] = mask[n] == 0 ? 0 : FixedBinNumber(x[n], min, scale, bins);
    }

    /// <summary>Writes fixed-bin-size levels inside the mask (0 outside); returns the highest level.</summary>
    public static int FixedBinSize(ReadOnlySpan<float> x, ReadOnlySpan<byte> mask, double lowest, double width, Span<int> levels)
    {
        int highest = 1;
        for (int n = 0; n < x.Length; n++)
        {
            levels[n] = mask[n] == 0 ? 0 : FixedBinSize(x[n], lowest, width);
            highest = Math.Max(highest, levels[n]);
        }
        return highest;
    }
}
