using Habitat.Imaging;

namespace Habitat.Synthesis.Tests;

/// <summary>Simple per-study measurements the tests compare (means over label sets, volumes).</summary>
internal static class StudyStatistics
{
    public static double MeanWhere(Volume image, LabelVolume labels, Func<int, bool> select)
    {
        double sum = 0; long count = 0;
        for (int n = 0; n < image.Voxels.Length; n++)
            if (select(labels.Labels[n])) { sum += image.Voxels[n]; count++; }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Mean of the image over voxels inside the brain mask and outside the habitat.</summary>
    public static double NormalBrainMean(SyntheticStudy s, string sequence)
    {
        var image = s.Images[sequence];
        double sum = 0; long count = 0;
        for (int n = 0; n < image.Voxels.Length; n++)
            if (s.BrainMask.Labels[n] == 1 && s.Habitat.Labels[n] == 0) { sum += image.Voxels[n]; count++; }
        return sum / count;
    }

    /// <summary>Mean and SD over the brain mask (the z-score normalisation reference).</summary>
    public static (double Mean, double Sd) BrainMeanSd(SyntheticStudy s, string sequence)
    {
        var image = s.Images[sequence];
        double sum = 0, sumSq = 0; long count = 0;
        for (int n = 0; n < image.Voxels.Length; n++)
            if (s.BrainMask.Labels[n] == 1) { double v = image.Voxels[n]; sum += v; sumSq += v * v; count++; }
        double mean = sum / count;
        return (mean, Math.Sqrt(sumSq / count - mean * mean));
    }

    public static double LesionVolumeMl(SyntheticStudy s) =>
        s.Habitat.Labels.Count(l => l is SyntheticStudy.Enhancing or SyntheticStudy.NecroticCore) * s.Habitat.Grid.VoxelVolume / 1000;

    public static double VolumeMl(SyntheticStudy s, int label) =>
        s.Habitat.Labels.Count(l => l == label) * s.Habitat.Grid.VoxelVolume / 1000;

    /// <summary>AUC as a separation measure regardless of direction: max(AUC, 1 − AUC).</summary>
    public static double Separation(double auc) => Math.Max(auc, 1 - auc);
}
