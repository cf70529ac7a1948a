using System.Numerics.Tensors;

namespace Habitat.Imaging.Filters;

/// <summary>
/// Laplacian of Gaussian as IBSI 2 defines it (L6PA): the sampled kernel, truncated at
/// <c>truncation</c>·σ (radius ⌊truncation·σ/spacing + ½⌋ voxels per axis), applied as the sum of three separable
/// passes G''·G·G + G·G''·G + G·G·G''. σ is in mm and converted per axis; the Gaussian is normalised to sum 1
/// on the voxel grid and the second derivative is taken in voxel units, which is the scale of the IBSI
/// reference maps (for isotropic voxels: spacing² × the Laplacian in mm⁻²).
/// </summary>
public static class LaplacianOfGaussian
{
    public static Volume Apply(Volume image, double sigmaMm, BoundaryMode mode, double truncation = 4, bool planar = false)
    {
        if (!(sigmaMm > 0) || !double.IsFinite(sigmaMm))
            throw new ArgumentOutOfRangeException(nameof(sigmaMm), $"LoG sigma must be a positive number of mm, got {sigmaMm}");
        var g = image.Grid;
        var (gx, dx) = Kernels(sigmaMm / g.Spacing.X, truncation);
        var (gy, dy) = Kernels(sigmaMm / g.Spacing.Y, truncation);
        var (gz, dz) = planar ? (null, null) : Kernels(sigmaMm / g.Spacing.Z, truncation);
        var v = image.Voxels;
        var sum = SeparableConvolution.Apply(v, g, dx, gy, gz, mode);
        TensorPrimitives.Add(sum, SeparableConvolution.Apply(v, g, gx, dy, gz, mode), sum);
        if (!planar) TensorPrimitives.Add(sum, SeparableConvolution.Apply(v, g, gx, gy, dz, mode), sum);
        return image.WithVoxels(sum, PixelType.Float32);
    }

    /// <summary>The sampled Gaussian (sum 1) and its second derivative, σ in voxels.</summary>
    static (Kernel1D? Gauss, Kernel1D? SecondDerivative) Kernels(double sigma, double truncation)
    {
        int radius = (int)(truncation * sigma + 0.5);
        var gauss = new double[2 * radius + 1];
        double total = 0;
        for (int n = -radius; n <= radius; n++) total += gauss[n + radius] = Math.Exp(-0.5 * n * n / (sigma * sigma));
        var g = new float[gauss.Length];
        var d2 = new float[gauss.Length];
        for (int n = -radius; n <= radius; n++)
        {
            double normalised = gauss[n + radius] / total;
            g[n + radius] = (float)normalised;
            // d²/dx² exp(−x²/2σ²) = (x²/σ⁴ − 1/σ²) · exp(−x²/2σ²)
            d2[n + radius] = (float)(normalised * ((double)n * n / (sigma * sigma * sigma * sigma) - 1 / (sigma * sigma)));
        }
        return (Kernel1D.Centred(g), Kernel1D.Centred(d2));
    }
}
