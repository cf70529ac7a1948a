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
        var x = MaskedValues.Gather(roi.Intensities, roi.IntensityMask);
        if (x.Length == 0) throw new EmptyRoiException("the intensity mask is empty");
        double roiMin = double.PositiveInfinity, roiMax = double.NegativeInfinity;
        foreach (var v in x) { roiMin = Math.Min(roiMin, v); roiMax = Math.Max(roiMax, v); }
        var values = new double[x.Length];
        switch (settings.Method)
        {
            case IvhMethod.None:
                for (int n = 0; n < x.Length; n++) values[n] = x[n];
                return new IvhInput(values, 1, resegmentation.RangeMin ?? roiMin, resegmentation.RangeMax ?? roiMax);
            case IvhMethod.FixedBinSize:
            {
                double w = settings.BinWidth ?? throw new ArgumentException("fixed bin size needs a bin width", nameof(settings));
                double lowest = resegmentation.RangeMin ?? roiMin;
                double highest = resegmentation.RangeMax ?? roiMax;
                for (int n = 0; n < x.Length; n++) values[n] = lowest + (Discretisation.FixedBinSize(x[n], lowest, w) - 0.5) * w;
                return new IvhInput(values, w, lowest + w / 2, highest - w / 2);
            }
            default:
            {
                int bins = settings.BinCount ?? throw new ArgumentException("fixed bin number needs a bin count", nameof(settings));
                double scale = Discretisation.Scale(roiMin, roiMax, bins);
                for (int n = 0; n < x.Length; n++) values[n] = Discretisation.FixedBinNumber(x[n], roiMin, scale, bins);
                return new IvhInput(values, 1, 1, bins);
            }
        }
    }
}
