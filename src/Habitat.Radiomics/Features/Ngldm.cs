using Habitat.Radiomics.Features.Texture;
using static Habitat.Radiomics.Features.TextureAggregation;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI 1 neighbouring grey level dependence based features (REK0). A neighbour within Chebyshev distance δ that lies
/// in the intensity mask depends on the centre voxel when their grey levels differ by at most the coarseness α; the
/// dependence of voxel k is j_k = 1 + its number of dependent neighbours. s_ij counts the voxels of grey level i with
/// dependence j; every mask voxel is a centre, so N_s = N_v. In 2-D the neighbourhood stays in the slice.
/// Aggregation (IBSI): "2D" per slice averaged, "2.5D" the slices' matrices merged, "3D" volumetric.
/// </summary>
internal static class Ngldm
{
    private static readonly TextureFeature<LevelMatrixStatistics>[] Features =
    [
        new("ngl.lde", "SODN", s => s.SmallEmphasis),                     // IBSI SODN: low dependence emphasis, Σ s_.j / j² / N_s
        new("ngl.hde", "IMOQ", s => s.LargeEmphasis),                     // IBSI IMOQ: high dependence emphasis, Σ j² s_.j / N_s
        new("ngl.lgce", "TL9H", s => s.LowGreyEmphasis),                  // IBSI TL9H: low grey level count emphasis
        new("ngl.hgce", "OAE7", s => s.HighGreyEmphasis),                 // IBSI OAE7: high grey level count emphasis
        new("ngl.ldlge", "EQ3F", s => s.SmallLowGreyEmphasis),            // IBSI EQ3F: low dependence low grey level emphasis
        new("ngl.ldhge", "JA6D", s => s.SmallHighGreyEmphasis),           // IBSI JA6D: low dependence high grey level emphasis
        new("ngl.hdlge", "NBZI", s => s.LargeLowGreyEmphasis),            // IBSI NBZI: high dependence low grey level emphasis
        new("ngl.hdhge", "9QMG", s => s.LargeHighGreyEmphasis),           // IBSI 9QMG: high dependence high grey level emphasis
        new("ngl.glnu", "FP8K", s => s.GreyNonUniformity),                // IBSI FP8K: grey level non-uniformity
        new("ngl.glnu.norm", "5SPA", s => s.GreyNonUniformityNormalised), // IBSI 5SPA: normalised grey level non-uniformity
        new("ngl.dcnu", "Z87G", s => s.SizeNonUniformity),                // IBSI Z87G: dependence count non-uniformity
        new("ngl.dcnu.norm", "OKJI", s => s.SizeNonUniformityNormalised), // IBSI OKJI: normalised dependence count non-uniformity
        new("ngl.dc.perc", "6XV8", s => s.Percentage),                    // IBSI 6XV8: dependence count percentage, N_s / N_v
        new("ngl.gl.var", "1PFV", s => s.GreyVariance),                   // IBSI 1PFV: grey level variance
        new("ngl.dc.var", "DNX2", s => s.SizeVariance),                   // IBSI DNX2: dependence count variance
        new("ngl.dc.entr", "FCBV", s => s.Entropy),                       // IBSI FCBV: dependence count entropy
        new("ngl.dc.energy", "CAS9", s => s.Energy),                      // IBSI CAS9: dependence count energy
    ];

    public static void Compute(TextureVolume volume, TextureOptions options, List<Feature> output)
    {
        bool perSlice = options.Computes(TwoD), merged = options.Computes(TwoPointFiveD), volumetric = options.Computes(ThreeD);
        bool planar = perSlice || merged;
        if (!planar && !volumetric) return;
        var greyLevel = volume.GreyLevel;
        var neighbours = Direction.Neighbourhood(volume, options.Distance, out int inPlane);
        int alpha = options.NgldmCoarseness;
        int rows = greyLevel.Length;
        var mean = new FeatureMean(Features.Length);
        var planarTotal = LevelMatrix.WithIndexColumns(rows, inPlane + 1);
        var volumeTotal = LevelMatrix.WithIndexColumns(rows, neighbours.Length + 1);

        TextureParallel.For(volume.Nz, volume.VoxelCount >= TextureParallel.MinVoxels,
            () => new State(rows, inPlane + 1, neighbours.Length + 1, Features.Length),
            (k, state) =>
            {
                var voxels = volume.SliceVoxels(k);
                if (voxels.IsEmpty) return;
                state.Slice.Clear();
                Count(volume, voxels, neighbours, inPlane, alpha, planar ? state.Slice : null, volumetric ? state.Volume : null);
                if (!planar) return;
                state.Merged.Add(state.Slice);
                if (perSlice)
                {
                    TextureOutput.Evaluate(Features, LevelMatrixStatistics.Compute(state.Slice, greyLevel, voxels.Length)!, state.Values);
                    state.Mean.Add(state.Values);
                }
            },
            state =>
            {
                mean.Add(state.Mean);
                planarTotal.Add(state.Merged);
                volumeTotal.Add(state.Volume);
            });

        if (perSlice) TextureOutput.Emit(Features, TwoD, mean.Values(), output);
        if (merged) TextureOutput.Emit(Features, TwoPointFiveD, LevelMatrixStatistics.Compute(planarTotal, greyLevel, volume.VoxelCount), output);
        if (volumetric) TextureOutput.Emit(Features, ThreeD, LevelMatrixStatistics.Compute(volumeTotal, greyLevel, volume.VoxelCount), output);
    }

    /// <summary>
    /// Adds the dependences of <paramref name="voxels"/> (one slice) to the in-plane NGLDM <paramref name="planar"/>
    /// (neighbours <c>offsets[..inPlane]</c>) and the volumetric NGLDM <paramref name="volumetric"/> (all offsets).
    /// </summary>
    internal static void Count(TextureVolume volume, ReadOnlySpan<int> voxels, int[] offsets, int inPlane, int alpha,
        LevelMatrix? planar, LevelMatrix? volumetric)
    {
        var levels = volume.Levels;
        var greyLevel = volume.GreyLevel;
        foreach (int v in voxels)
        {
            int level = levels[v];
            int dependence = 1 + Dependent(levels, v, offsets, 0, inPlane, level, alpha, greyLevel);
            if (planar is not null) planar[level, dependence]++;
            if (volumetric is null) continue;
            dependence += Dependent(levels, v, offsets, inPlane, offsets.Length, level, alpha, greyLevel);
            volumetric[level, dependence]++;
        }
    }

    /// <summary>Number of neighbours <c>offsets[from..to]</c> of voxel <paramref name="v"/> that depend on it.</summary>
    private static int Dependent(ushort[] levels, int v, int[] offsets, int from, int to, int level, int alpha, int[] greyLevel)
    {
        int count = 0;
        if (alpha == 0)
        {
            // Same compact level; outside the mask the level is 0, which equals no centre level.
            for (int n = from; n < to; n++) count += levels[v + offsets[n]] == level ? 1 : 0;
            return count;
        }
        int grey = greyLevel[level];
        for (int n = from; n < to; n++)
        {
            int neighbour = levels[v + offsets[n]];
            if (neighbour != 0 && Math.Abs(greyLevel[neighbour] - grey) <= alpha) count++;
        }
        return count;
    }

    private sealed class State(int rows, int planarMax, int volumeMax, int featureCount)
    {
        public readonly LevelMatrix Slice = LevelMatrix.WithIndexColumns(rows, planarMax);
        public readonly LevelMatrix Merged = LevelMatrix.WithIndexColumns(rows, planarMax);
        public readonly LevelMatrix Volume = LevelMatrix.WithIndexColumns(rows, volumeMax);
        public readonly FeatureMean Mean = new(featureCount);
        public readonly double[] Values = new double[featureCount];
    }
}
