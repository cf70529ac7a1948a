namespace Habitat.Imaging.Filters;

/// <summary>
/// IBSI 2 mean filter (S60F): the average over a cube (3-D) or square (2-D, per slice) of
/// <c>support</c> voxels a side, computed as separable box kernels.
/// </summary>
public static class MeanFilter
{
    public static Volume Apply(Volume image, int support, BoundaryMode mode, bool planar = false)
    {
        if (support < 1 || support % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(support), $"mean filter support must be a positive odd number of voxels, got {support}");
        return image.WithVoxels(Average(image.Voxels, image.Grid, support, mode, planar), PixelType.Float32);
    }

    /// <summary>The box average of <paramref name="voxels"/>; also the local energy window of Laws filters.</summary>
    internal static float[] Average(float[] voxels, Grid grid, int support, BoundaryMode mode, bool planar)
    {
        var taps = new float[support];
        Array.Fill(taps, 1f / support);
        var box = Kernel1D.Centred(taps);
        return SeparableConvolution.Apply(voxels, grid, box, box, planar ? null : box, mode);
    }
}
