using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>
/// A stationary Gaussian random field with zero mean, unit variance and Gaussian covariance
/// C(r) = exp(−r²/(4ℓ²)): white noise on a lattice of spacing ℓ/1.5 (at most 2 mm), blurred by a separable Gaussian kernel of
/// standard deviation ℓ (so the kernel spans several lattice cells), then sampled trilinearly anywhere in its box.
/// Smooth texture, folding, margins and locules of the phantom are all level sets or modulations of such fields.
/// </summary>
internal sealed class RandomField
{
    private const double CellsPerCorrelationLength = 1.5;
    /// <summary>Coarser lattices would show trilinear facets on smooth surfaces (head outline, oedema).</summary>
    private const double MaxLatticeSpacingMm = 2.0;
    private const double KernelRadiusInSigmas = 3.0;

    private readonly float[] _values;
    private readonly int _nx, _ny, _nz;
    private readonly Vec3 _origin;
    private readonly double _inverseSpacing;

    public double CorrelationMm { get; }

    private RandomField(float[] values, int nx, int ny, int nz, Vec3 origin, double spacing, double correlationMm)
    {
        _values = values; _nx = nx; _ny = ny; _nz = nz;
        _origin = origin; _inverseSpacing = 1 / spacing; CorrelationMm = correlationMm;
    }

    /// <summary>A field covering the box [<paramref name="min"/>, <paramref name="max"/>] (mm).</summary>
    public static RandomField Create(Vec3 min, Vec3 max, double correlationMm, SynthRandom rng)
    {
        double spacing = Math.Min(correlationMm / CellsPerCorrelationLength, MaxLatticeSpacingMm);
        double sigmaCells = correlationMm / spacing;
        int radius = (int)Math.Ceiling(KernelRadiusInSigmas * sigmaCells);
        int nx = (int)Math.Ceiling((max.X - min.X) / spacing) + 2;
        int ny = (int)Math.Ceiling((max.Y - min.Y) / spacing) + 2;
        int nz = (int)Math.Ceiling((max.Z - min.Z) / spacing) + 2;

        var kernel = new float[2 * radius + 1];
        double sumSquares = 0;
        for (int k = -radius; k <= radius; k++)
        {
            double w = Math.Exp(-0.5 * k * k / (sigmaCells * sigmaCells));
            kernel[k + radius] = (float)w;
            sumSquares += w * w;
        }
        // Unit variance after three passes: each pass multiplies the variance of white noise by Σw².
        float norm = (float)(1 / Math.Sqrt(sumSquares));
        for (int k = 0; k < kernel.Length; k++) kernel[k] *= norm;

        int ex = nx + 2 * radius, ey = ny + 2 * radius, ez = nz + 2 * radius;
        var noise = new float[ex * ey * ez];
        rng.FillGaussian(noise);
        var blurX = ConvolveValid(noise, ex, ey, ez, kernel, axis: 0);
        var blurY = ConvolveValid(blurX, nx, ey, ez, kernel, axis: 1);
        var values = ConvolveValid(blurY, nx, ny, ez, kernel, axis: 2);
        return new RandomField(values, nx, ny, nz, min, spacing, correlationMm);
    }

    /// <summary>Convolution along one axis keeping only fully covered outputs: the axis shrinks by the kernel length − 1.</summary>
    private static float[] ConvolveValid(float[] input, int sx, int sy, int sz, float[] kernel, int axis)
    {
        int shrink = kernel.Length - 1;
        int ox = axis == 0 ? sx - shrink : sx, oy = axis == 1 ? sy - shrink : sy, oz = axis == 2 ? sz - shrink : sz;
        int stride = axis == 0 ? 1 : axis == 1 ? sx : sx * sy;
        var output = new float[ox * oy * oz];
        for (int k = 0; k < oz; k++)
            for (int j = 0; j < oy; j++)
            {
                int inRow = sx * (j + sy * k), outRow = ox * (j + oy * k);
                for (int i = 0; i < ox; i++)
                {
                    int start = inRow + i;
                    float sum = 0;
                    for (int t = 0; t < kernel.Length; t++) sum += kernel[t] * input[start + t * stride];
                    output[outRow + i] = sum;
                }
            }
        return output;
    }

    /// <summary>The field at a position (mm); positions outside the box take the value at its edge.</summary>
    public float Sample(double x, double y, double z)
    {
        double fx = Math.Clamp((x - _origin.X) * _inverseSpacing, 0, _nx - 1.000001);
        double fy = Math.Clamp((y - _origin.Y) * _inverseSpacing, 0, _ny - 1.000001);
        double fz = Math.Clamp((z - _origin.Z) * _inverseSpacing, 0, _nz - 1.000001);
        int i = (int)fx, j = (int)fy, k = (int)fz;
        float tx = (float)(fx - i), ty = (float)(fy - j), tz = (float)(fz - k);
        int n = i + _nx * (j + _ny * k);
        int sy = _nx, sz = _nx * _ny;
        float c00 = _values[n] + tx * (_values[n + 1] - _values[n]);
        float c10 = _values[n + sy] + tx * (_values[n + sy + 1] - _values[n + sy]);
        float c01 = _values[n + sz] + tx * (_values[n + sz + 1] - _values[n + sz]);
        float c11 = _values[n + sy + sz] + tx * (_values[n + sy + sz + 1] - _values[n + sy + sz]);
        float c0 = c00 + ty * (c10 - c00), c1 = c01 + ty * (c11 - c01);
        return c0 + tz * (c1 - c0);
    }
}
