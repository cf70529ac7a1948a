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
        var levels = new int[box.Count];
        bool fixedBinNumber = settings.Method == DiscretisationMethod.FixedBinNumber;
        int bins = fixedBinNumber ? settings.BinCount ?? throw new ArgumentException("fixed bin number needs a bin count", nameof(settings)) : 0;
        double width = fixedBinNumber ? 0 : settings.BinWidth ?? throw new ArgumentException("fixed bin size needs a bin width", nameof(settings));
        double lowest = resegmentation.RangeMin ?? min;
        int levelCount = fixedBinNumber ? bins : 1;
        // Row by row straight from the ROI's arrays into the box: no cropped copies of intensities and mask.
        for (int k = box.K0; k < box.K1; k++)
            for (int j = box.J0; j < box.J1; j++)
            {
                int source = roi.Grid.Index(box.I0, j, k);
                var x = roi.Intensities.AsSpan(source, box.Nx);
                var mask = roi.IntensityMask.AsSpan(source, box.Nx);
                var row = levels.AsSpan(box.Index(box.I0, j, k), box.Nx);
                if (fixedBinNumber) FixedBinNumber(x, mask, min, max, bins, row);
                else levelCount = Math.Max(levelCount, FixedBinSize(x, mask, lowest, width, row));
            }
        return new DiscretisedRoi(grid, levels, levelCount, box.Extract(roi.Grid, roi.MorphologicalMask));
    }

    /// <summary>
    /// The voxel count per grey level (index 0 unused, 1…N_g) of the intensity mask, as <see cref="Apply"/> would
    /// discretise it, straight from the masked intensities: the intensity histogram needs no discretised box.
    /// </summary>
    public static long[] Histogram(RoiImage roi, DiscretisationSettings settings, ResegmentationSettings resegmentation)
    {
        var (min, max) = IntensityRange(roi);
        var values = MaskedValues.Gather(roi.Intensities, roi.IntensityMask);
        var levels = new int[values.Length];
        bool fixedBinNumber = settings.Method == DiscretisationMethod.FixedBinNumber;
        int bins = fixedBinNumber ? settings.BinCount ?? throw new ArgumentException("fixed bin number needs a bin count", nameof(settings)) : 0;
        double width = fixedBinNumber ? 0 : settings.BinWidth ?? throw new ArgumentException("fixed bin size needs a bin width", nameof(settings));
        double scale = Scale(min, max, bins), lowest = resegmentation.RangeMin ?? min;
        int levelCount = fixedBinNumber ? bins : 1;
        for (int n = 0; n < values.Length; n++)
        {
            levels[n] = fixedBinNumber ? FixedBinNumber(values[n], min, scale, bins) : FixedBinSize(values[n], lowest, width);
            levelCount = Math.Max(levelCount, levels[n]);
        }
        var histogram = new long[levelCount + 1];
        foreach (int level in levels) histogram[level]++;
        return histogram;
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
