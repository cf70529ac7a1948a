using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Preprocessing;

/// <summary>
/// The intensities the intensity-volume histogram works on (IBSI "Intensity-volume histogram features", with its own
/// discretisation): one value per intensity-mask voxel, the intensity step w between histogram points and the
/// total range [G_min, G_max] that defines the intensity fraction.
/// </summary>
public sealed record IvhInput(double[] Values, double Width, double RangeMin, double RangeMax)
{
    /// <summary>
    /// No discretisation: intensities as they are, w = 1, range = the re-segmentation range, else the ROI's [min, max].
    /// Fixed bin size w: each voxel takes its bin centre X_min + (bin - 1/2) w with X_min the re-segmentation lower bound
    /// (else the ROI minimum); range [X_min + w/2, X_max - w/2]. Fixed bin number N: the bin numbers are the
    /// intensities, w = 1, range [1, N].
    /// </summary>
    public static IvhInput Create(RoiImage roi, IvhSettings settings, ResegmentationSettings resegmentation)
    {
        var (roiMin, roiMax) = Discretisation.IntensityRange(roi);
        var mask = roi.IntensityMask;
        var x = roi.Intensities;
        int count = 0;
        foreach (var m in mask) if (m != 0) count++;
        var values = new double[count];
        switch (settings.Method)
        {
            case IvhMethod.None:
            {
                for (int n = 0, v = 0; n < x.Length; n++) if (mask[n] != 0) values[v++] = x[n];
                return new IvhInput(values, 1, resegmentation.RangeMin ?? roiMin, resegmentation.RangeMax ?? roiMax);
            }
            case IvhMethod.FixedBinSize:
            {
                double w = settings.BinWidth!.Value;
                double lowest = resegmentation.RangeMin ?? roiMin;
                double highest = resegmentation.RangeMax ?? roiMax;
                var levels = new int[x.Length];
                Discretisation.FixedBinSize(x, mask, lowest, w, levels);
                for (int n = 0, v = 0; n < x.Length; n++) if (mask[n] != 0) values[v++] = lowest + (levels[n] - 0.5) * w;
                return new IvhInput(values, w, lowest + w / 2, highest - w / 2);
            }
            default:
            {
                int bins = settings.BinCount!.Value;
                var levels = new int[x.Length];
                Discretisation.FixedBinNumber(x, mask, roiMin, roiMax, bins, levels);
                for (int n = 0, v = 0; n < x.Length; n++) if (mask[n] != 0) values[v++] = levels[n];
                return new IvhInput(values, 1, 1, bins);
            }
        }
    }
}
