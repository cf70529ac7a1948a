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
}
