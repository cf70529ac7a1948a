using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>
/// What a scanner does to the ideal tissue signal: the site's contrast curve, a smooth multiplicative bias field,
/// the receive gain, optional 2-D thick-slice acquisition (slice averaging, then resampling onto the shared grid),
/// Rician magnitude noise, and the stored intensity offset; values are rounded to 16-bit integers as scanners store them.
/// </summary>
internal static class Acquisition
{
    /// <param name="signal">Ideal signal in white-matter units, per voxel of <paramref name="grid"/>.</param>
    /// <param name="noiseSigma">Standard deviation of each quadrature channel's Gaussian noise, in stored units.</param>
    /// <param name="sliceThicknessMm">0 for a 3-D acquisition; otherwise the thickness of 2-D slices along z.</param>
    public static float[] Acquire(float[] signal, Grid grid, double gamma, double biasAmplitude, double gain, double noiseSigma,
        double offset, double sliceThicknessMm, SynthRandom rng)
    {
        var image = new float[signal.Length];
        var bias = new BiasField(grid, biasAmplitude, rng);
        float g = (float)gamma, scale = (float)gain;
        for (int k = 0, n = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
            {
                bias.BeginRow(j, k);
                for (int i = 0; i < grid.Nx; i++, n++)
                {
                    float s = signal[n];
                    image[n] = s <= 0 ? 0 : scale * MathF.Pow(s, g) * bias.At(i);
                }
            }

        bool twoDimensional = sliceThicknessMm > 1.5 * grid.Spacing.Z;
        if (twoDimensional)
        {
            var slices = AverageIntoSlices(image, grid, sliceThicknessMm, out int sliceCount);
            AddRicianNoise(slices, noiseSigma, rng);
            image = ResampleSlices(slices, sliceCount, grid, sliceThicknessMm);
        }
        else AddRicianNoise(image, noiseSigma, rng);

        for (int n = 0; n < image.Length; n++)
            image[n] = MathF.Round(Math.Clamp(image[n] + (float)offset, 0f, short.MaxValue));
        return image;
    }

    /// <summary>Magnitude of the signal plus complex Gaussian noise: √((s + σn₁)² + (σn₂)²).</summary>
    private static void AddRicianNoise(float[] image, double sigma, SynthRandom rng)
    {
        for (int n = 0; n < image.Length; n++)
        {
            var (a, b) = rng.GaussianPair();
            double real = image[n] + sigma * a, imaginary = sigma * b;
            image[n] = (float)Math.Sqrt(real * real + imaginary * imaginary);
        }
    }

    /// <summary>
    /// Box slice profile: acquired slice m covers grid positions z ∈ [m·T, (m+1)·T) measured from the first grid
    /// slice's lower edge, and holds the overlap-weighted mean of the grid slices it covers.
    /// </summary>
    private static float[] AverageIntoSlices(float[] image, Grid grid, double thickness, out int sliceCount)
    {
        int plane = grid.Nx * grid.Ny;
        double dz = grid.Spacing.Z;
        sliceCount = (int)Math.Ceiling(grid.Nz * dz / thickness);
        var slices = new float[sliceCount * plane];
        var weights = new double[sliceCount];
        for (int k = 0; k < grid.Nz; k++)
        {
            double lo = k * dz, hi = lo + dz;
            for (int m = (int)(lo / thickness); m < sliceCount && m * thickness < hi; m++)
            {
                double overlap = Math.Min(hi, (m + 1) * thickness) - Math.Max(lo, m * thickness);
                if (overlap <= 0) continue;
                weights[m] += overlap;
                float w = (float)overlap;
                for (int n = 0; n < plane; n++) slices[m * plane + n] += w * image[k * plane + n];
            }
        }
        for (int m = 0; m < sliceCount; m++)
        {
            float inv = (float)(1 / weights[m]);
            for (int n = 0; n < plane; n++) slices[m * plane + n] *= inv;
        }
        return slices;
    }

    /// <summary>Linear interpolation along z from the acquired slice centres back onto the grid's slices.</summary>
    private static float[] ResampleSlices(float[] slices, int sliceCount, Grid grid, double thickness)
    {
        int plane = grid.Nx * grid.Ny;
        var image = new float[grid.Count];
        for (int k = 0; k < grid.Nz; k++)
        {
            double position = ((k + 0.5) * grid.Spacing.Z - 0.5 * thickness) / thickness;
            position = Math.Clamp(position, 0, sliceCount - 1);
            int m0 = Math.Min((int)position, sliceCount - 1), m1 = Math.Min(m0 + 1, sliceCount - 1);
            float t = (float)(position - m0);
            for (int n = 0; n < plane; n++)
                image[k * plane + n] = slices[m0 * plane + n] + t * (slices[m1 * plane + n] - slices[m0 * plane + n]);
        }
        return image;
    }

    /// <summary>
    /// exp(A · (cos(w₁·x + φ₁) + cos(w₂·x + φ₂)) / 2) with random wave vectors of 250–450 mm wavelength: a smooth
    /// multiplicative field of ±A. Each plane wave factorises per axis (complex exponentials), so a row costs one
    /// complex product per voxel and wave.
    /// </summary>
    private sealed class BiasField
    {
        private const int Waves = 2;
        private readonly double _amplitude;
        private readonly double[][] _xRe = new double[Waves][], _xIm = new double[Waves][], _yRe = new double[Waves][], _yIm = new double[Waves][], _zRe = new double[Waves][], _zIm = new double[Waves][];
        private readonly double[] _phaseRe = new double[Waves], _phaseIm = new double[Waves];
        private readonly double[] _rowRe = new double[Waves], _rowIm = new double[Waves];

        public BiasField(Grid grid, double amplitude, SynthRandom rng)
        {
            _amplitude = amplitude;
            for (int w = 0; w < Waves; w++)
            {
                var direction = rng.UnitVector();
                double k = 2 * Math.PI / rng.Uniform(250, 450);
                (_phaseIm[w], _phaseRe[w]) = Math.SinCos(rng.Uniform(0, 2 * Math.PI));
                Axis(grid.Nx, grid.Origin.X, grid.Spacing.X, k * direction.X, out _xRe[w], out _xIm[w]);
                Axis(grid.Ny, grid.Origin.Y, grid.Spacing.Y, k * direction.Y, out _yRe[w], out _yIm[w]);
                Axis(grid.Nz, grid.Origin.Z, grid.Spacing.Z, k * direction.Z, out _zRe[w], out _zIm[w]);
            }
        }

        private static void Axis(int n, double origin, double spacing, double k, out double[] re, out double[] im)
        {
            re = new double[n]; im = new double[n];
            for (int i = 0; i < n; i++) (im[i], re[i]) = Math.SinCos(k * (origin + i * spacing));
        }

        public void BeginRow(int j, int k)
        {
            for (int w = 0; w < Waves; w++)
            {
                double yzRe = _yRe[w][j] * _zRe[w][k] - _yIm[w][j] * _zIm[w][k];
                double yzIm = _yRe[w][j] * _zIm[w][k] + _yIm[w][j] * _zRe[w][k];
                _rowRe[w] = _phaseRe[w] * yzRe - _phaseIm[w] * yzIm;
                _rowIm[w] = _phaseRe[w] * yzIm + _phaseIm[w] * yzRe;
            }
        }

        public float At(int i)
        {
            double sum = 0;
            for (int w = 0; w < Waves; w++) sum += _rowRe[w] * _xRe[w][i] - _rowIm[w] * _xIm[w][i];
            return (float)Math.Exp(_amplitude * sum / Waves);
        }
    }
}
