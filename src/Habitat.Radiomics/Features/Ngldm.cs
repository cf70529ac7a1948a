using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    public static void Compute(TextureVolume volume, TextureOptions options, List<Feature> output) =>
        Compute(volume, options, volume.NeighbourhoodOf(Enumerable.Range(1, options.Distance).ToArray()), output);

    /// <summary>The NGLDM over <paramref name="neighbourhood"/> (e.g. PyRadiomics' <c>distances</c> with gaps).</summary>
    public static void Compute(TextureVolume volume, TextureOptions options, TextureVolume.Neighbourhood neighbourhood, List<Feature> output)
    {
        bool perSlice = options.Computes(TwoD), merged = options.Computes(TwoPointFiveD), volumetric = options.Computes(ThreeD);
        bool planar = perSlice || merged;
        if (!planar && !volumetric) return;
        var greyLevel = volume.GreyLevel;
        int alpha = options.NgldmCoarseness;
        CheckCountsFit(volume, neighbourhood);
        // Dependence j ≤ 1 + the neighbours in the ROI: the matrices need no more columns than that.
        int inPlane = Math.Min(neighbourhood.PlaneSize, volume.VoxelCount) - 1;
        int neighbours = Math.Min(neighbourhood.Offsets.Length, volume.VoxelCount) - 1;
        int rows = greyLevel.Length;
        var mean = new FeatureMean(Features.Length);
        var planarTotal = LevelMatrix.WithIndexColumns(rows, inPlane + 1);
        var volumeTotal = LevelMatrix.WithIndexColumns(rows, neighbours + 1);

        TextureParallel.For(volume.Nz, volume.VoxelCount >= TextureParallel.MinVoxels,
            () => new State(rows, inPlane + 1, neighbours + 1, Features.Length),
            (k, state) =>
            {
                var voxels = volume.SliceVoxels(k);
                if (voxels.IsEmpty) return;
                state.Slice.Clear();
                Count(volume, voxels, neighbourhood, alpha, planar ? state.Slice : null, volumetric ? state.Volume : null);
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
    /// Dependence counts are 16-bit per voxel (eight to a vector): a voxel has at most min(neighbourhood, ROI) dependent
    /// voxels, so this holds unless both exceed 65 535 (a large ROI with a distance of about 20 or more).
    /// </summary>
    internal static void CheckCountsFit(TextureVolume volume, TextureVolume.Neighbourhood neighbourhood)
    {
        if (Math.Min(neighbourhood.Offsets.Length, volume.VoxelCount) > ushort.MaxValue)
            throw new ArgumentException($"the neighbourhood holds {neighbourhood.Offsets.Length} voxels and the ROI {volume.VoxelCount}: " +
                $"per-voxel neighbour counts are limited to {ushort.MaxValue} (use a smaller distance)", nameof(neighbourhood));
    }

    /// <summary>
    /// Adds the dependences of <paramref name="voxels"/> (one slice) to the in-plane NGLDM <paramref name="planar"/>
    /// and the volumetric NGLDM <paramref name="volumetric"/> (over the in-plane part of <paramref name="neighbourhood"/>
    /// and over all of it).
    /// </summary>
    /// <remarks>
    /// Compact levels increase with the grey level, so the levels within α of a centre level form a range
    /// [lo, hi] that excludes 0 (outside the mask). Eight consecutive centre voxels of a row are tested at a time: each
    /// neighbourhood offset is one vector load of their eight neighbours, dependent when (level − lo) ≤ (hi − lo) as
    /// unsigned numbers. Lanes past the end of a run of ROI voxels are computed and ignored. The count includes the
    /// centre itself, which is the 1 of the dependence j = 1 + dependent neighbours.
    /// </remarks>
    internal static void Count(TextureVolume volume, ReadOnlySpan<int> voxels, TextureVolume.Neighbourhood neighbourhood, int alpha,
        LevelMatrix? planar, LevelMatrix? volumetric)
    {
        var levels = volume.Levels;
        var greyLevel = volume.GreyLevel;
        // The dependent range of each compact level.
        var lo = new ushort[greyLevel.Length];
        var hi = new ushort[greyLevel.Length];
        for (int level = 1, first = 1, last = 1; level < greyLevel.Length; level++)
        {
            while (greyLevel[level] - greyLevel[first] > alpha) first++;
            while (last + 1 < greyLevel.Length && greyLevel[last + 1] - greyLevel[level] <= alpha) last++;
            lo[level] = (ushort)first;
            hi[level] = (ushort)last;
        }

        var (offsets, planeSize) = neighbourhood;
        int visited = volumetric is null ? planeSize : offsets.Length;

        // A lane may read up to 7 voxels past the box: into TextureVolume.LevelSlack, inside the array.
        ref ushort level0 = ref MemoryMarshal.GetArrayDataReference(levels);
        int lanes = Vector128<ushort>.Count;
        Span<ushort> lower = stackalloc ushort[lanes], range = stackalloc ushort[lanes];
        Span<ushort> planarCount = stackalloc ushort[lanes], volumeCount = stackalloc ushort[lanes];
        for (int index = 0; index < voxels.Length;)
        {
            int first = voxels[index];
            for (int lane = 0; lane < lanes; lane++)
            {
                int level = levels[first + lane];
                lower[lane] = lo[level];
                range[lane] = (ushort)(hi[level] - lo[level]);
            }
            var lowest = Vector128.Create<ushort>(lower);
            var span = Vector128.Create<ushort>(range);
            var count = Vector128<ushort>.Zero;
            for (int n = 0; n < visited; n++)
            {
                if (n == planeSize) count.CopyTo(planarCount);
                var neighbours = Vector128.LoadUnsafe(ref level0, (nuint)(first + offsets[n]));
                count -= Vector128.LessThanOrEqual(neighbours - lowest, span); // true lanes: −1
            }
            if (visited == planeSize) count.CopyTo(planarCount); // a box one slice thick has no out-of-plane offsets
            if (volumetric is not null) count.CopyTo(volumeCount);
            for (int lane = 0; lane < lanes && index < voxels.Length && voxels[index] == first + lane; lane++, index++)
            {
                int level = levels[first + lane];
                if (planar is not null) planar[level, planarCount[lane]]++;
                if (volumetric is not null) volumetric[level, volumeCount[lane]]++;
            }
        }
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
