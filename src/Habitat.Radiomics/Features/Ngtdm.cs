using System.Runtime.CompilerServices;
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

    // IBSI NQ30: busyness Σ p_i s_i / Σ_i1 Σ_i2 |i1 p_i1 − i2 p_i2| over present levels; 0 when N_g,p = 1.
    private static double Busyness(Matrix m)
    {
        if (m.Present.Length == 1) return 0;
        double numerator = 0, denominator = 0;
        foreach (int i1 in m.Present)
        {
            numerator += m.P(i1) * m.S[i1];
            foreach (int i2 in m.Present) denominator += Math.Abs(m.Grey(i1) * m.P(i1) - m.Grey(i2) * m.P(i2));
        }
        return numerator / denominator;
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

    public static void Compute(TextureVolume volume, TextureOptions options, List<Feature> output)
    {
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
                Count(volume, voxels, options.Distance, planar ? state.Slice : null, volumetric ? state.Volume : null);
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
    /// and the volumetric NGTDM <paramref name="volumetric"/> (neighbourhoods within Chebyshev distance <paramref name="distance"/>).
    /// </summary>
    /// <remarks>
    /// A neighbourhood box is the sum of 2δ+1 columns (the voxels at one x with |dy|, |dz| ≤ δ; in-plane: dz = 0). Along
    /// a run of consecutive voxels in x the box slides by one column, so a voxel costs (2δ+1)² look-ups, not (2δ+1)³.
    /// Each look-up adds the voxel's grey level and 1 packed in one long (high and low 32 bits), giving both Σ grey
    /// levels and the number of neighbours in the mask without branches; level 0 (outside) adds nothing.
    /// </remarks>
    internal static void Count(TextureVolume volume, ReadOnlySpan<int> voxels, int distance, Matrix? planar, Matrix? volumetric)
    {
        var levels = volume.Levels;
        var greyLevel = volume.GreyLevel;
        Span<long> packed = greyLevel.Length <= 1024 ? stackalloc long[greyLevel.Length] : new long[greyLevel.Length];
        packed[0] = 0;
        for (int i = 1; i < packed.Length; i++) packed[i] = ((long)greyLevel[i] << 32) | 1;

        int width = 2 * distance + 1;
        // Offsets of a column's voxels from its centre: in-plane first, then those in other slices.
        var column = new int[width * width];
        int inPlane = 0, outOfPlane = width;
        for (int dz = -distance; dz <= distance; dz++)
            for (int dy = -distance; dy <= distance; dy++)
                column[dz == 0 ? inPlane++ : outOfPlane++] = volume.Offset(0, dy, dz);
        int columnLength = volumetric is null ? width : column.Length;
        // The columns of the current box; `oldest` is the slot of the one that leaves when the box slides.
        Span<long> planarColumns = stackalloc long[width], volumeColumns = stackalloc long[width];
        long planarBox = 0, volumeBox = 0;
        int oldest = 0, previous = int.MinValue;
        var planarSums = new Accumulator(planar);
        var volumeSums = new Accumulator(volumetric);
        foreach (int v in voxels)
        {
            if (v == previous + 1)
            {
                ColumnSums(levels, packed, column, width, columnLength, v + distance, out long planarSum, out long volumeSum);
                planarBox += planarSum - planarColumns[oldest];
                volumeBox += volumeSum - volumeColumns[oldest];
                planarColumns[oldest] = planarSum;
                volumeColumns[oldest] = volumeSum;
                oldest = oldest + 1 == width ? 0 : oldest + 1;
            }
            else
            {
                planarBox = volumeBox = 0;
                for (int slot = 0; slot < width; slot++)
                {
                    ColumnSums(levels, packed, column, width, columnLength, v - distance + slot, out planarColumns[slot], out volumeColumns[slot]);
                    planarBox += planarColumns[slot];
                    volumeBox += volumeColumns[slot];
                }
                oldest = 0;
            }
            previous = v;
            int level = levels[v];
            long centre = packed[level];
            if (planar is not null) planarSums.Add(level, greyLevel[level], planarBox - centre);
            if (volumetric is not null) volumeSums.Add(level, greyLevel[level], volumeBox - centre);
        }
        planarSums.Flush();
        volumeSums.Flush();
    }

    /// <summary>Packed sums over the column at <paramref name="x"/>: its in-plane voxels, and all <paramref name="columnLength"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnSums(ushort[] levels, ReadOnlySpan<long> packed, int[] column, int inPlane, int columnLength, int x,
        out long planarSum, out long volumeSum)
    {
        planarSum = 0;
        for (int n = 0; n < inPlane; n++) planarSum += packed[levels[x + column[n]]];
        volumeSum = planarSum;
        for (int n = inPlane; n < columnLength; n++) volumeSum += packed[levels[x + column[n]]];
    }

    /// <summary>
    /// Adds voxels to s_i and n_i. Consecutive voxels mostly share a grey level, so the current level's s_i and n_i stay in
    /// registers until the level changes: the same additions in the same order, without a memory round trip per voxel.
    /// </summary>
    private struct Accumulator(Matrix? matrix)
    {
        private int _level = -1;
        private double _s;
        private long _n;

        /// <summary>Adds a voxel of compact level <paramref name="level"/> whose neighbours' packed sum is <paramref name="sum"/>; skipped without neighbours.</summary>
        public void Add(int level, int grey, long sum)
        {
            long count = sum & uint.MaxValue;
            if (count == 0) return;
            if (level != _level)
            {
                Flush();
                _level = level;
                _s = matrix!.S[level];
                _n = matrix.N[level];
            }
            _s += Math.Abs(grey - (double)(sum >> 32) / count);
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
