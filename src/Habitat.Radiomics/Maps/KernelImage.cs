using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// What a sliding feature kernel reads: the intensities and discretised grey levels of an image, where level 0 marks
/// a voxel no kernel may use. A masked kernel (PyRadiomics' default) has level 0 outside the ROI; an unmasked kernel
/// has levels for the whole image, discretised with the ROI's settings.
/// </summary>
/// <param name="Grid">Grid of all arrays.</param>
/// <param name="Intensities">Voxel intensities (first-order statistics).</param>
/// <param name="Levels">Grey level 1…<paramref name="LevelCount"/> of each usable voxel, 0 for voxels kernels skip.</param>
/// <param name="LevelCount">Number of grey levels N_g.</param>
public sealed record KernelImage(Grid Grid, float[] Intensities, int[] Levels, int LevelCount)
{
    /// <summary>Checks that the arrays fit the grid and the levels lie in 0…N_g.</summary>
    public KernelImage Validated()
    {
        if (Intensities.Length != Grid.Count || Levels.Length != Grid.Count)
            throw new ArgumentException($"kernel image arrays hold {Intensities.Length} intensities and {Levels.Length} levels, the grid needs {Grid.Count}");
        if (LevelCount < 1 || LevelCount > 4096)
            throw new ArgumentOutOfRangeException(nameof(LevelCount), $"number of grey levels must be 1…4096, got {LevelCount}");
        foreach (var level in Levels)
            if ((uint)level > (uint)LevelCount)
                throw new ArgumentException($"grey level {level} lies outside 0…{LevelCount}", nameof(Levels));
        return this;
    }

    /// <summary>
    /// Discretises <paramref name="image"/> for sliding kernels with the ROI's settings (<see cref="Discretisation"/>:
    /// the bin edges come from the ROI's intensities, or the re-segmentation range's lower bound for a fixed bin size).
    /// With <paramref name="maskedKernel"/> only ROI voxels get a level; otherwise every voxel does — beyond the ROI's
    /// range a fixed bin number clamps to 1…N_g, a fixed bin size to 1 at the low end (N_g then spans the image).
    /// </summary>
    public static KernelImage Discretise(Volume image, byte[] roi, DiscretisationSettings discretisation,
                                         ResegmentationSettings resegmentation, bool maskedKernel)
    {
        var x = image.Voxels;
        var (min, max) = Discretisation.IntensityRange(new RoiImage(image.Grid, x, roi, roi));
        var kernelMask = maskedKernel ? roi : Enumerable.Repeat((byte)1, x.Length).ToArray();
        var levels = new int[x.Length];
        int levelCount;
        if (discretisation.Method == DiscretisationMethod.FixedBinNumber)
        {
            levelCount = discretisation.BinCount ?? throw new ArgumentException("fixed bin number needs a bin count", nameof(discretisation));
            Discretisation.FixedBinNumber(x, kernelMask, min, max, levelCount, levels);
        }
        else
        {
            double width = discretisation.BinWidth ?? throw new ArgumentException("fixed bin size needs a bin width", nameof(discretisation));
            levelCount = Discretisation.FixedBinSize(x, kernelMask, resegmentation.RangeMin ?? min, width, levels);
        }
        if (levelCount > 4096)
            throw new ArgumentException($"the discretisation gives {levelCount} grey levels; voxel-wise maps support at most 4096");
        return new KernelImage(image.Grid, x, levels, levelCount);
    }
}
