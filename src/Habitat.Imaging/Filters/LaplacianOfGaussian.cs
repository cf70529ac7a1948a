using System.Buffers;
using System.Numerics.Tensors;
using Habitat.Imaging.Processing;

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

    /// <summary>
    /// PyRadiomics' LoG image (imageoperations.getLoGImage): SimpleITK's LaplacianRecursiveGaussian with
    /// NormalizeAcrossScale on — for each axis the recursive second derivative along it and recursive smoothing
    /// along the others, divided by that axis' spacing², the sum times σ² (σ in mm).
    /// </summary>
    public static Volume PyRadiomics(Volume image, double sigmaMm)
    {
        var g = image.Grid;
        return image.WithVoxels(PyRadiomics(image, sigmaMm, new Box(0, 0, 0, g.Nx, g.Ny, g.Nz)).Voxels, PixelType.Float32);
    }

    /// <summary>
    /// <see cref="PyRadiomics(Volume, double)"/> inside <paramref name="region"/> only, on the region's grid: the filter
    /// runs on the region grown by <paramref name="marginSigmas"/> σ per axis (clipped to the image). The recursive
    /// filter's response to voxels beyond that margin, and to the window's edge, decays as exp(−1.37 · margin / σ).
    /// Each term's passes after the first need only the lines whose already-filtered coordinates lie in the region.
    /// </summary>
    public static Volume PyRadiomics(Volume image, double sigmaMm, Box region, double marginSigmas = PyRadiomicsMargin)
    {
        if (!(sigmaMm > 0) || !double.IsFinite(sigmaMm))
            throw new ArgumentOutOfRangeException(nameof(sigmaMm), $"LoG sigma must be a positive number of mm, got {sigmaMm}");
        var g = image.Grid;
        if (region.IsEmpty || region.I0 < 0 || region.J0 < 0 || region.K0 < 0 || region.I1 > g.Nx || region.J1 > g.Ny || region.K1 > g.Nz)
            throw new ArgumentOutOfRangeException(nameof(region), $"region {region} is empty or not inside the {g.Nx}×{g.Ny}×{g.Nz} image");
        // At least 2 voxels so that every line of the window has the 4 voxels the recursive filter needs.
        int Margin(double spacing) => Math.Max(2, (int)Math.Ceiling(marginSigmas * sigmaMm / spacing));
        var window = region.Grow(g, Margin(g.Spacing.X), Margin(g.Spacing.Y), Margin(g.Spacing.Z));
        var grid = window.SubGrid(g);
        var inWindow = new Box(region.I0 - window.I0, region.J0 - window.J0, region.K0 - window.K0,
            region.I1 - window.I0, region.J1 - window.J0, region.K1 - window.K0);
        var whole = new Box(0, 0, 0, grid.Nx, grid.Ny, grid.Nz);
        double[] spacing = [g.Spacing.X, g.Spacing.Y, g.Spacing.Z];
        // Window-sized buffers come from the shared pool: fresh multi-megabyte arrays would cost page faults and zeroing
        // for every σ of every case. Every pass reads only what an earlier pass of this call wrote.
        var pool = ArrayPool<float>.Shared;
        float[] voxels = pool.Rent(grid.Count), term = pool.Rent(grid.Count), scratch = pool.Rent(grid.Count);
        try
        {
            window.Extract(g, image.Voxels, voxels);
            float[]? sum = null;
            for (int axis = 0; axis < 3; axis++)
            {
                new RecursiveGaussian(sigmaMm / spacing[axis], secondDerivative: true, scale: sigmaMm * sigmaMm / (spacing[axis] * spacing[axis]))
                    .AlongAxis(voxels, term, grid, axis);
                // No later pass of this term mixes values along an axis already filtered: only its region lines are needed.
                var lines = Restrict(whole, inWindow, axis);
                for (int other = 0; other < 3; other++)
                    if (other != axis)
                    {
                        new RecursiveGaussian(sigmaMm / spacing[other], secondDerivative: false).AlongAxis(term, scratch, grid, other, lines);
                        (term, scratch) = (scratch, term);
                        lines = Restrict(lines, inWindow, other);
                    }
                var part = inWindow.Extract(grid, term);
                if (sum is null) sum = part;
                else TensorPrimitives.Add(sum, part, sum);
            }
            return new Volume(region.SubGrid(g), sum!, PixelType.Float32);
        }
        finally
        {
            pool.Return(voxels);
            pool.Return(term);
            pool.Return(scratch);
        }
    }

    /// <summary><paramref name="box"/> with its range along <paramref name="axis"/> taken from <paramref name="region"/>.</summary>
    static Box Restrict(Box box, Box region, int axis) => axis switch
    {
        0 => box with { I0 = region.I0, I1 = region.I1 },
        1 => box with { J0 = region.J0, J1 = region.J1 },
        _ => box with { K0 = region.K0, K1 = region.K1 },
    };

    /// <summary>Margin, in σ, around a region filtered by <see cref="PyRadiomics(Volume, double, Box, double)"/>.</summary>
    public const double PyRadiomicsMargin = 16;

    /// <summary>PyRadiomics skips a σ unless every axis has at least ⌈σ/spacing⌉ + 1 voxels.</summary>
    public static bool PyRadiomicsAccepts(Grid grid, double sigmaMm) =>
        grid.Nx >= Math.Ceiling(sigmaMm / grid.Spacing.X) + 1 && grid.Ny >= Math.Ceiling(sigmaMm / grid.Spacing.Y) + 1 &&
        grid.Nz >= Math.Ceiling(sigmaMm / grid.Spacing.Z) + 1 && Math.Min(grid.Nx, Math.Min(grid.Ny, grid.Nz)) >= 4;

    /// <summary>PyRadiomics' image-type name, from σ as Python prints it: 2.0 → "log-sigma-2-0-mm-3D", 2 → "log-sigma-2-mm-3D".</summary>
    public static string PyRadiomicsName(string sigmaAsPythonPrintsIt) => $"log-sigma-{sigmaAsPythonPrintsIt.Replace('.', '-')}-mm-3D";

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
