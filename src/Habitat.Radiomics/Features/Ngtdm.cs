using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Habitat.Radiomics.Features.Texture;
using static Habitat.Radiomics.Features.TextureAggregation;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI 1 neighbourhood grey tone difference based features (IPET). For each intensity-mask voxel k with grey level i,
/// X̄_k is the mean grey level of its neighbours within Chebyshev distance δ (centre excluded) that lie in the mask,
/// W_k their number; voxels with W_k = 0 have no valid neighbourhood and are skipped. s_i = Σ |i − X̄_k| and n_i counts
/// the voxels with a valid neighbourhood; N_v,c = Σ n_i, p_i = n_i / N_v,c and N_g,p the number of levels with p_i > 0.
/// In 2-D the neighbourhood stays in the slice. Aggregation (IBSI): "2D" per slice averaged, "2.5D" the slices'
/// s_i and n_i summed, "3D" volumetric.
/// </summary>
internal static class Ngtdm
{
    private static readonly TextureFeature<Matrix>[] Features =
    [
        new("ngt.coarseness", "QCDE", Coarseness),
        new("ngt.contrast", "65HE", Contrast),
        new("ngt.busyness", "NQ30", Busyness),
        new("ngt.complexity", "HDEZ", Complexity),
        new("ngt.strength", "1X9X", Strength),
    ];

    // IBSI QCDE: coarseness 1 / Σ p_i s_i, capped at 10⁶ when the sum is 0.
    private static double Coarseness(Matrix m)
    {
        double sum = 0;
        foreach (int i in m.Present) sum += m.P(i) * m.S[i];
        return sum == 0 ? 1e6 : 1 / sum;
    }

    // IBSI 65HE: contrast [Σ_i1 Σ_i2 p_i1 p_i2 (i1 − i2)² / (N_g,p (N_g,p − 1))] · Σ s_i / N_v,c; 0 when N_g,p = 1.
    private static double Contrast(Matrix m)
    {
        int levels = m.Present.Length;
        if (levels == 1) return 0;
        double dynamicRange = 0, sumS = 0;
        foreach (int i1 in m.Present)
        {
            sumS += m.S[i1];
            foreach (int i2 in m.Present) dynamicRange += m.P(i1) * m.P(i2) * Square(m.Grey(i1) - m.Grey(i2));
        }
        return dynamicRange / (levels * (levels - 1.0)) * sumS / m.ValidVoxels;
    }

    // IBSI NQ30: busyness Σ p_i s_i / Σ_i1 Σ_i2 |i1 p_i1 − i2 p_i2| over present levels; 0 when N_g,p = 1 (IBSI) and,
    // more generally, when the denominator is 0 (all i p_i equal, e.g. p = 2/3, 1/3 for levels 1, 2), as PyRadiomics does.
    private static double Busyness(Matrix m)
    {
        if (m.Present.Length == 1) return 0;
        double numerator = 0, denominator = 0;
        foreach (int i1 in m.Present)
        {
            numerator += m.P(i1) * m.S[i1];
            foreach (int i2 in m.Present) denominator += Math.Abs(m.Grey(i1) * m.P(i1) - m.Grey(i2) * m.P(i2));
        }
        return denominator == 0 ? 0 : numerator / denominator;
    }

    // IBSI HDEZ: complexity Σ_i1 Σ_i2 |i1 − i2| (p_i1 s_i1 + p_i2 s_i2) / (p_i1 + p_i2) / N_v,c over present levels.
    private static double Complexity(Matrix m)
    {
        double sum = 0;
        foreach (int i1 in m.Present)
            foreach (int i2 in m.Present)
                sum += Math.Abs(m.Grey(i1) - m.Grey(i2)) * (m.P(i1) * m.S[i1] + m.P(i2) * m.S[i2]) / (m.P(i1) + m.P(i2));
        return sum / m.ValidVoxels;
    }

    // IBSI 1X9X: strength Σ_i1 Σ_i2 (p_i1 + p_i2)(i1 − i2)² / Σ s_i over present levels; 0 when Σ s_i = 0.
    private static double Strength(Matrix m)
    {
        double numerator = 0, sumS = 0;
        foreach (int i1 in m.Present)
        {
            sumS += m.S[i1];
            foreach (int i2 in m.Present) numerator += (m.P(i1) + m.P(i2)) * Square(m.Grey(i1) - m.Grey(i2));
        }
        return sumS == 0 ? 0 : numerator / sumS;
    }

    private static double Square(double x) => x * x;

    /// <summary>The NGTDM: s_i and n_i per compact grey level.</summary>
    internal sealed class Matrix(int[] greyLevel)
    {
        public readonly double[] S = new double[greyLevel.Length];
        public readonly long[] N = new long[greyLevel.Length];
        private int[] _present = [];
        private double[] _p = [];
        private double _validVoxels;

        /// <summary>Compact levels with n_i > 0 (valid after <see cref="Complete"/>).</summary>
        public int[] Present => _present;
        public double ValidVoxels => _validVoxels;
        public double P(int i) => _p[i];
        public int Grey(int i) => greyLevel[i];

        public void Add(Matrix other)
        {
            for (int i = 0; i < S.Length; i++)
            {
                S[i] += other.S[i];
                N[i] += other.N[i];
            }
        }

        public void Clear()
        {
            Array.Clear(S);
            Array.Clear(N);
        }

        /// <summary>Derives N_v,c and the present levels from the counts; false when no voxel has a valid neighbourhood.</summary>
        public bool Complete()
        {
            var present = new List<int>();
            long valid = 0;
            for (int i = 1; i < N.Length; i++)
                if (N[i] > 0)
                {
                    present.Add(i);
                    valid += N[i];
                }
            _present = present.ToArray();
            _validVoxels = valid;
            _p = new double[N.Length];
            for (int i = 1; i < N.Length; i++) _p[i] = N[i] / _validVoxels;
            return valid > 0;
        }
    }

    public static void Compute(TextureVolume volume, TextureOptions options, List<Feature> output) =>
        Compute(volume, options, volume.NeighbourhoodOf(Enumerable.Range(1, options.Distance).ToArray()), countIsolated: false, output);

    /// <summary>
    /// The NGTDM over <paramref name="neighbourhood"/>. <paramref name="countIsolated"/>: a voxel without neighbours in
    /// the mask still counts in n_i, adding 0 to s_i (PyRadiomics' <c>cmatrices.c</c>); IBSI skips it.
    /// </summary>
    public static void Compute(TextureVolume volume, TextureOptions options, TextureVolume.Neighbourhood neighbourhood, bool countIsolated,
        List<Feature> output)
    {
        Ngldm.CheckCountsFit(volume, neighbourhood);
        bool perSlice = options.Computes(TwoD), merged = options.Computes(TwoPointFiveD), volumetric = options.Computes(ThreeD);
        bool planar = perSlice || merged;
        if (!planar && !volumetric) return;
        var greyLevel = volume.GreyLevel;
        var mean = new FeatureMean(Features.Length);
        var planarTotal = new Matrix(greyLevel);
        var volumeTotal = new Matrix(greyLevel);

        TextureParallel.For(volume.Nz, volume.VoxelCount >= TextureParallel.MinVoxels,
            () => new State(greyLevel, Features.Length),
            (k, state) =>
            {
                var voxels = volume.SliceVoxels(k);
                if (voxels.IsEmpty) return;
                state.Slice.Clear();
                Count(volume, voxels, neighbourhood, countIsolated, planar ? state.Slice : null, volumetric ? state.Volume : null);
                if (!planar) return;
                state.Merged.Add(state.Slice);
                if (perSlice && state.Slice.Complete())
                {
                    TextureOutput.Evaluate(Features, state.Slice, state.Values);
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
        if (merged) TextureOutput.Emit(Features, TwoPointFiveD, planarTotal.Complete() ? planarTotal : null, output);
        if (volumetric) TextureOutput.Emit(Features, ThreeD, volumeTotal.Complete() ? volumeTotal : null, output);
    }

    /// <summary>
    /// Adds the contributions of <paramref name="voxels"/> (one slice) to the in-plane NGTDM <paramref name="planar"/>
    /// and the volumetric NGTDM <paramref name="volumetric"/> (over the in-plane part of <paramref name="neighbourhood"/>
    /// and over all of it).
    /// </summary>
    /// <remarks>
    /// Eight consecutive voxels of a row at a time: each neighbourhood offset is one vector load of eight grey levels
    /// (<see cref="TextureVolume.GreyLevels"/>), widened and added to the eight sums, and min(level, 1) to the eight
    /// neighbour counts; level 0 (outside) adds nothing. Lanes past the end of a run of ROI voxels are computed and
    /// ignored. The centre voxel, always in the mask, is then subtracted from its own sums. The sums are read as
    /// unsigned: at most 65 535 neighbours in the ROI (<see cref="Ngldm.CheckCountsFit"/>) of grey level ≤ 65 535 fit.
    /// </remarks>
    internal static void Count(TextureVolume volume, ReadOnlySpan<int> voxels, TextureVolume.Neighbourhood neighbourhood, bool countIsolated,
        Matrix? planar, Matrix? volumetric)
    {
        var levels = volume.Levels;
        var greyLevel = volume.GreyLevel;
        var (offsets, planeSize) = neighbourhood;
        int visited = volumetric is null ? planeSize : offsets.Length;

        // A lane may read up to 7 voxels past the box: into TextureVolume.LevelSlack, inside the array.
        ref ushort grey = ref MemoryMarshal.GetArrayDataReference(volume.GreyLevels);
        Span<uint> planarSum = stackalloc uint[Lanes], volumeSum = stackalloc uint[Lanes];
        Span<int> planarCount = stackalloc int[Lanes], volumeCount = stackalloc int[Lanes];
        var planarSums = new Accumulator(planar, countIsolated);
        var volumeSums = new Accumulator(volumetric, countIsolated);
        for (int index = 0; index < voxels.Length;)
        {
            int first = voxels[index];
            Vector256<int> sum = Vector256<int>.Zero, count = Vector256<int>.Zero;
            for (int n = 0; n < visited; n++)
            {
                if (n == planeSize)
                {
                    sum.AsUInt32().CopyTo(planarSum);
                    count.CopyTo(planarCount);
                }
                var neighbours = Widen(Vector128.LoadUnsafe(ref grey, (nuint)(first + offsets[n])));
                sum += neighbours;
                count += Vector256.Min(neighbours, Vector256<int>.One);
            }
            if (visited == planeSize) // a box one slice thick has no out-of-plane offsets
            {
                sum.AsUInt32().CopyTo(planarSum);
                count.CopyTo(planarCount);
            }
            if (volumetric is not null)
            {
                sum.AsUInt32().CopyTo(volumeSum);
                count.CopyTo(volumeCount);
            }
            for (int lane = 0; lane < Lanes && index < voxels.Length && voxels[index] == first + lane; lane++, index++)
            {
                int level = levels[first + lane];
                uint centre = (uint)greyLevel[level];
                if (planar is not null) planarSums.Add(level, centre, planarSum[lane] - centre, planarCount[lane] - 1);
                if (volumetric is not null) volumeSums.Add(level, centre, volumeSum[lane] - centre, volumeCount[lane] - 1);
            }
        }
        planarSums.Flush();
        volumeSums.Flush();
    }

    private const int Lanes = 8;

    /// <summary>Eight grey levels as 32-bit integers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Widen(Vector128<ushort> levels) => Avx2.IsSupported
        ? Avx2.ConvertToVector256Int32(levels)
        : Vector256.Create(Vector128.WidenLower(levels), Vector128.WidenUpper(levels)).AsInt32();

    /// <summary>
    /// Adds voxels to s_i and n_i. Consecutive voxels mostly share a grey level, so the current level's s_i and n_i stay in
    /// registers until the level changes: the same additions in the same order, without a memory round trip per voxel.
    /// </summary>
    private struct Accumulator(Matrix? matrix, bool countIsolated)
    {
        private int _level = -1;
        private double _s;
        private long _n;

        /// <summary>Adds a voxel of compact level <paramref name="level"/> whose <paramref name="count"/> neighbours' grey
        /// levels sum to <paramref name="sum"/>; without neighbours it adds only to n_i, or nothing (IBSI).</summary>
        public void Add(int level, uint grey, uint sum, int count)
        {
            if (count == 0 && !countIsolated) return;
            if (level != _level)
            {
                Flush();
                _level = level;
                _s = matrix!.S[level];
                _n = matrix.N[level];
            }
            if (count > 0) _s += Math.Abs(grey - (double)sum / count);
            _n++;
        }

        public readonly void Flush()
        {
            if (_level < 0) return;
            matrix!.S[_level] = _s;
            matrix.N[_level] = _n;
        }
    }

    private sealed class State(int[] greyLevel, int featureCount)
    {
        public readonly Matrix Slice = new(greyLevel), Merged = new(greyLevel), Volume = new(greyLevel);
        public readonly FeatureMean Mean = new(featureCount);
        public readonly double[] Values = new double[featureCount];
    }
}
