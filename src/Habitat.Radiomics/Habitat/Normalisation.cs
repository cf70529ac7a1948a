using Habitat.Imaging;

namespace Habitat.Radiomics.Habitat;

/// <summary>MRI intensity normalisation (MRI signal has no absolute unit).</summary>
public static class Normalisation
{
    /// <summary>
    /// (v − μ) / σ for every voxel, with μ and σ (population) taken over the reference region (e.g. the brain mask):
    /// afterwards the reference region has mean 0 and SD 1.
    /// </summary>
    public static Volume ZScore(Volume image, ReadOnlySpan<byte> reference, string name)
    {
        var (mean, sd) = MeanAndSd(image, reference, name);
        return Affine(image, mean, sd);
    }

    /// <summary>
    /// WhiteStripe-style standardisation (after Shinohara et al. 2014): the normal-appearing white-matter peak of the
    /// reference region's histogram — the highest-intensity mode for T1-weighted sequences (white matter is the
    /// brightest tissue there), the tallest mode otherwise — defines a stripe of voxels whose quantile lies within
    /// ±<paramref name="stripeQuantile"/> of the peak's quantile; the image is z-scored with the stripe's mean and SD.
    /// </summary>
    public static Volume WhiteStripe(Volume image, ReadOnlySpan<byte> reference, string name, bool t1Weighted, double stripeQuantile = 0.05)
    {
        var values = Gather(image, reference, name);
        Array.Sort(values);
        double peak = WhiteMatterPeak(values, t1Weighted);
        // Quantile of the peak, then the intensity window [q − τ, q + τ] by the empirical quantile function.
        int at = Array.BinarySearch(values, (float)peak);
        if (at < 0) at = ~at;
        double q = (double)at / values.Length;
        float lo = values[(int)Math.Clamp((q - stripeQuantile) * values.Length, 0, values.Length - 1)];
        float hi = values[(int)Math.Clamp((q + stripeQuantile) * values.Length, 0, values.Length - 1)];
        var stripe = new byte[image.Voxels.Length];
        var v = image.Voxels;
        for (int n = 0; n < v.Length; n++) stripe[n] = reference[n] != 0 && v[n] >= lo && v[n] <= hi ? (byte)1 : (byte)0;
        return ZScore(image, stripe, name + " (white stripe)");
    }

    /// <summary>Mode of a 256-bin histogram of the sorted values smoothed by a 5-bin moving average: the
    /// highest-intensity local maximum at least 20 % of the tallest for T1 weighting, the tallest otherwise.</summary>
    private static double WhiteMatterPeak(float[] sorted, bool t1Weighted)
    {
        const int Bins = 256;
        // The 0.5–99.5 percentile range keeps a few extreme voxels from squeezing the histogram.
        double lo = sorted[(int)(0.005 * (sorted.Length - 1))], hi = sorted[(int)(0.995 * (sorted.Length - 1))];
        if (!(hi > lo)) return lo;
        var counts = new double[Bins];
        double width = (hi - lo) / Bins;
        foreach (var x in sorted)
            if (x >= lo && x <= hi) counts[Math.Min(Bins - 1, (int)((x - lo) / width))]++;
        var smooth = new double[Bins];
        for (int b = 0; b < Bins; b++)
        {
            int from = Math.Max(0, b - 2), to = Math.Min(Bins - 1, b + 2);
            for (int t = from; t <= to; t++) smooth[b] += counts[t];
            smooth[b] /= to - from + 1;
        }
        int tallest = 0;
        for (int b = 1; b < Bins; b++) if (smooth[b] > smooth[tallest]) tallest = b;
        int chosen = tallest;
        if (t1Weighted)
            for (int b = Bins - 2; b > tallest; b--)
                if (smooth[b] >= 0.2 * smooth[tallest] && smooth[b] >= smooth[b - 1] && smooth[b] > smooth[b + 1]) { chosen = b; break; }
        return lo + (chosen + 0.5) * width;
    }

    internal static float[] Gather(Volume image, ReadOnlySpan<byte> reference, string name)
    {
        Check(image, reference, name);
        int count = reference.Length - reference.Count((byte)0);
        if (count == 0) throw new ArgumentException($"{name}: the normalisation reference region is empty");
        var values = new float[count];
        var v = image.Voxels;
        for (int n = 0, m = 0; n < v.Length; n++)
            if (reference[n] != 0) values[m++] = v[n];
        return values;
    }

    private static (double Mean, double Sd) MeanAndSd(Volume image, ReadOnlySpan<byte> reference, string name)
    {
        Check(image, reference, name);
        double sum = 0, sumSquares = 0;
        long count = 0;
        var v = image.Voxels;
        for (int n = 0; n < v.Length; n++)
        {
            if (reference[n] == 0) continue;
            sum += v[n];
            count++;
        }
        if (count == 0) throw new ArgumentException($"{name}: the normalisation reference region is empty");
        double mean = sum / count;
        for (int n = 0; n < v.Length; n++)
            if (reference[n] != 0) sumSquares += (v[n] - mean) * (v[n] - mean); // two-pass: no cancellation
        double sd = Math.Sqrt(sumSquares / count);
        if (!(sd > 0)) throw new ArgumentException($"{name}: intensities are constant within the normalisation reference region");
        return (mean, sd);
    }

    private static void Check(Volume image, ReadOnlySpan<byte> reference, string name)
    {
        if (reference.Length != image.Voxels.Length)
            throw new ArgumentException($"{name}: reference mask holds {reference.Length} voxels, image {image.Voxels.Length}");
    }

    private static Volume Affine(Volume image, double mean, double sd)
    {
        var v = image.Voxels;
        var output = new float[v.Length];
        float m = (float)mean, inv = (float)(1 / sd);
        for (int n = 0; n < v.Length; n++) output[n] = (v[n] - m) * inv;
        return image.WithVoxels(output, PixelType.Float32);
    }
}
