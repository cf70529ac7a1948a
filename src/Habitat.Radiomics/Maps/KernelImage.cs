using Habitat.Imaging;

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
    /// Discretises <paramref name="image"/> for sliding kernels with the ROI's range (IBSI 3.4): a fixed bin number
    /// N_g = <paramref name="binCount"/> cuts [min, max] of the ROI into equal bins (level ⌊N_g·(x − min)/(max − min)⌋ + 1,
    /// the maximum in bin N_g), a fixed bin size w gives level ⌊(x − min)/w⌋ + 1 from the ROI minimum. With
    /// <paramref name="maskedKernel"/> only ROI voxels get a level; otherwise every voxel does, clamped to 1…N_g (fixed
    /// bin number) or to 1 at the low end (fixed bin size, N_g then spans the whole image).
    /// </summary>
    public static KernelImage Discretise(Volume image, byte[] roi, int? binCount, double? binWidth, bool maskedKernel)
    {
        if ((binCount is null) == (binWidth is null))
            throw new ArgumentException("give exactly one of a bin count and a bin width");
        if (binCount is < 1) throw new ArgumentOutOfRangeException(nameof(binCount), $"bin count must be positive, got {binCount}");
        if (binWidth is not null && !(binWidth > 0 && double.IsFinite(binWidth.Value)))
            throw new ArgumentOutOfRangeException(nameof(binWidth), $"bin width must be positive, got {binWidth}");
        var x = image.Voxels;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int n = 0; n < x.Length; n++)
        {
            if (roi[n] == 0) continue;
            min = Math.Min(min, x[n]);
            max = Math.Max(max, x[n]);
        }
        if (min > max) throw new ArgumentException("the region of interest is empty", nameof(roi));
        var levels = new int[x.Length];
        int levelCount = binCount ?? 1;
        for (int n = 0; n < x.Length; n++)
        {
            if (maskedKernel && roi[n] == 0) continue;
            int level;
            if (binCount is int g)
                level = max > min ? (int)Math.Floor(g * (x[n] - min) / (max - min)) + 1 : 1;
            else
                level = (int)Math.Floor((x[n] - min) / binWidth!.Value) + 1;
            level = binCount is int count ? Math.Clamp(level, 1, count) : Math.Max(1, level);
            levels[n] = level;
            if (binCount is null) levelCount = Math.Max(levelCount, level);
        }
        if (levelCount > 4096)
            throw new ArgumentException($"a bin width of {binWidth} gives {levelCount} grey levels; at most 4096 are supported");
        return new KernelImage(image.Grid, x, levels, levelCount);
    }
}
