using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI local intensity features (family 9ST6): the mean intensity in a sphere of 1 cm³ (radius (3 / (4π))^(1/3) cm,
/// in world units) centred on a voxel, over every image voxel whose centre lies in the sphere — inside the ROI or not.
/// </summary>
public static class LocalIntensity
{
    /// <summary>Radius in mm of the sphere with a volume of 1 cm³ = 1000 mm³.</summary>
    public static readonly double SphereRadiusMm = Math.Cbrt(3 * 1000 / (4 * Math.PI));

    public static void Compute(RoiImage roi, List<Feature> output)
    {
        var sphere = new SphereMean(roi);
        var x = roi.Intensities;
        var mask = roi.IntensityMask;
        var roiValues = MaskedValues.Gather(x, mask);
        if (roiValues.Length == 0) throw new EmptyRoiException("the intensity mask is empty");
        float maxIntensity = float.NegativeInfinity;
        foreach (var v in roiValues) maxIntensity = Math.Max(maxIntensity, v);

        double localPeak = double.NegativeInfinity, globalPeak = double.NegativeInfinity;
        var grid = roi.Grid;
        int n0 = 0;
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++, n0++)
                {
                    if (mask[n0] == 0) continue;
                    double mean = sphere.At(i, j, k);
                    if (mean > globalPeak) globalPeak = mean;
                    if (x[n0] == maxIntensity && mean > localPeak) localPeak = mean;
                }

        // IBSI VJGA: local intensity peak — the sphere mean around the voxel(s) of maximum intensity (the highest if several).
        output.Add(new Feature("loc.peak.local", "VJGA", "", localPeak));
        // IBSI 0F91: global intensity peak — the highest sphere mean over all ROI voxels.
        output.Add(new Feature("loc.peak.global", "0F91", "", globalPeak));
    }

    /// <summary>
    /// Sphere means from prefix sums along x: the sphere is a set of x-runs, one per (dy, dz) offset, each summed in O(1).
    /// </summary>
    private sealed class SphereMean
    {
        private readonly int _nx, _ny, _nz;
        private readonly double[] _prefix;       // per x-row: nx + 1 running sums
        private readonly (int Dy, int Dz, int HalfWidth)[] _runs;

        public SphereMean(RoiImage roi)
        {
            var g = roi.Grid;
            (_nx, _ny, _nz) = (g.Nx, g.Ny, g.Nz);
            _prefix = new double[(long)(_nx + 1) * _ny * _nz];
            var x = roi.Intensities;
            for (int row = 0; row < _ny * _nz; row++)
            {
                long p = (long)row * (_nx + 1);
                int src = row * _nx;
                double sum = 0;
                for (int i = 0; i < _nx; i++) { _prefix[p + i] = sum; sum += x[src + i]; }
                _prefix[p + _nx] = sum;
            }
            double r = SphereRadiusMm, sx = g.Spacing.X, sy = g.Spacing.Y, sz = g.Spacing.Z;
            int ry = (int)Math.Floor(r / sy), rz = (int)Math.Floor(r / sz);
            var runs = new List<(int, int, int)>();
            for (int dz = -rz; dz <= rz; dz++)
                for (int dy = -ry; dy <= ry; dy++)
                {
                    double rest = r * r - dy * sy * dy * sy - dz * sz * dz * sz;
                    if (rest < 0) continue;
                    runs.Add((dy, dz, (int)Math.Floor(Math.Sqrt(rest) / sx + 1e-9)));
                }
            _runs = [.. runs];
        }

        public double At(int i, int j, int k)
        {
            double sum = 0;
            long count = 0;
            foreach (var (dy, dz, half) in _runs)
            {
                int y = j + dy, z = k + dz;
                if ((uint)y >= (uint)_ny || (uint)z >= (uint)_nz) continue;
                int lo = Math.Max(0, i - half), hi = Math.Min(_nx, i + half + 1);
                long p = (long)(y + _ny * z) * (_nx + 1);
                sum += _prefix[p + hi] - _prefix[p + lo];
                count += hi - lo;
            }
            return sum / count;
        }
    }
}
