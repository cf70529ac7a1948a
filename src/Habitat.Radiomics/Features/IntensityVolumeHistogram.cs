using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI intensity-volume histogram features (family P88C). Over the intensities i = G_min, G_min + w, …, G_max of
/// <see cref="IvhInput"/>, the volume fraction ν_i is the fraction of ROI voxels with intensity at least i and the
/// intensity fraction is γ_i = (i - G_min) / (G_max - G_min).
/// </summary>
public static class IntensityVolumeHistogram
{
    public static void Compute(IvhInput input, List<Feature> output)
    {
        var ivh = new Curve(input);
        double v10 = ivh.VolumeAtIntensityFraction(0.10), v90 = ivh.VolumeAtIntensityFraction(0.90);
        double i10 = ivh.IntensityAtVolumeFraction(0.10), i90 = ivh.IntensityAtVolumeFraction(0.90);
        Add(output, "ivh.V10", "BC2M", v10);                               // IBSI BC2M: volume fraction at intensity fraction 10 %
        Add(output, "ivh.V90", "BC2M", v90);                               // IBSI BC2M: volume fraction at intensity fraction 90 %
        Add(output, "ivh.I10", "GBPN", i10);                               // IBSI GBPN: intensity at volume fraction 10 %
        Add(output, "ivh.I90", "GBPN", i90);                               // IBSI GBPN: intensity at volume fraction 90 %
        Add(output, "ivh.V10minusV90", "DDTU", v10 - v90);                 // IBSI DDTU: V10 - V90
        Add(output, "ivh.I10minusI90", "CNV2", i10 - i90);                 // IBSI CNV2: I10 - I90
        // IBSI 9CMM: area under the IVH curve (trapezoidal over γ). IBSI publishes no reference value for it.
        Add(output, "ivh.auc", "9CMM", ivh.AreaUnderCurve());
    }

    /// <summary>Most intensity steps accepted (a 10^7-point curve is far beyond any calibrated intensity range).</summary>
    private const int MaxSteps = 10_000_000;

    private sealed class Curve
    {
        private readonly double _min, _width;
        private readonly int _steps;
        /// <summary>ν at i = G_min + step·w for step = 0…steps.</summary>
        private readonly double[] _volumeFraction;

        public Curve(IvhInput input)
        {
            _min = input.RangeMin;
            _width = input.Width;
            double steps = Math.Round((input.RangeMax - input.RangeMin) / input.Width);
            if (!(steps <= MaxSteps))
                throw new ArgumentException($"the intensity-volume histogram would have {steps + 1:G6} points (range {input.RangeMin:G6} to " +
                                            $"{input.RangeMax:G6} in steps of {input.Width:G6}); use a fixed-bin IVH discretisation");
            _steps = Math.Max(0, (int)steps);
            // atOrAbove[s]: voxels whose intensity reaches step s but not s + 1 (those below G_min reach none, those above G_max count at the last).
            // Values within 1e-6·w of a histogram intensity count as equal to it (bin centres carry rounding error).
            var atOrAbove = new long[_steps + 1];
            foreach (var v in input.Values)
            {
                double position = Math.Floor((v - _min) / _width + 1e-6);
                if (position < 0) continue;
                atOrAbove[(int)Math.Min(position, _steps)]++;
            }
            _volumeFraction = new double[_steps + 1];
            long count = 0;
            for (int step = _steps; step >= 0; step--)
            {
                count += atOrAbove[step];
                _volumeFraction[step] = (double)count / input.Values.Length;
            }
        }

        private double Intensity(int step) => _min + step * _width;

        /// <summary>V_x: the largest volume fraction at an intensity fraction of at least x, i.e. ν at the first i with γ_i ≥ x.</summary>
        public double VolumeAtIntensityFraction(double x) =>
            _steps == 0 ? _volumeFraction[0] : _volumeFraction[(int)Math.Ceiling(x * _steps - 1e-9)];

        /// <summary>
        /// I_x: the lowest intensity i with ν_i ≤ x. When even G_max holds more than x of the volume (possible only when
        /// voxels lie above the range), the next intensity step above G_max.
        /// </summary>
        public double IntensityAtVolumeFraction(double x)
        {
            for (int step = 0; step <= _steps; step++)
                if (_volumeFraction[step] <= x) return Intensity(step);
            return Intensity(_steps + 1);
        }

        /// <summary>Trapezoidal area under ν as a function of γ.</summary>
        public double AreaUnderCurve()
        {
            if (_steps == 0) return _volumeFraction[0];
            double area = 0;
            for (int step = 1; step <= _steps; step++) area += (_volumeFraction[step - 1] + _volumeFraction[step]) / 2 / _steps;
            return area;
        }
    }

    private static void Add(List<Feature> output, string tag, string code, double value) => output.Add(new Feature(tag, code, "", value));
}
