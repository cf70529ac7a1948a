using Habitat.Imaging;

namespace Habitat.Radiomics.Habitat;

/// <summary>MRI intensity normalisation (MRI signal has no absolute unit).</summary>
public static class Normalisation
{
    /// <summary>
    /// (v − μ) / σ for every voxel, with μ and σ (population) taken over the reference region (e.g. the brain mask):
    /// afterwards the reference region has mean 0 and SD 1.
    /// </summary>
    public static Volume ZScore(Volume image, byte[] reference, string name)
    {
        if (reference.Length != image.Voxels.Length)
            throw new ArgumentException($"{name}: reference mask holds {reference.Length} voxels, image {image.Voxels.Length}", nameof(reference));
        double sum = 0, sumSquares = 0;
        long count = 0;
        var v = image.Voxels;
        for (int n = 0; n < v.Length; n++)
        {
            if (reference[n] == 0) continue;
            sum += v[n];
            sumSquares += (double)v[n] * v[n];
            count++;
        }
        if (count == 0) throw new ArgumentException($"{name}: the normalisation reference region is empty");
        double mean = sum / count;
        double sd = Math.Sqrt(Math.Max(0, sumSquares / count - mean * mean));
        if (!(sd > 0)) throw new ArgumentException($"{name}: intensities are constant within the normalisation reference region");
        var output = new float[v.Length];
        float m = (float)mean, inv = (float)(1 / sd);
        for (int n = 0; n < v.Length; n++) output[n] = (v[n] - m) * inv;
        return image.WithVoxels(output, PixelType.Float32);
    }
}
