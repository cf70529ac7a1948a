using System.Numerics;
using Habitat.Radiomics.Features.Texture;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI 1 grey level run length based features (TP0I). A run is a maximal line of consecutive intensity-mask voxels
/// with the same grey level along a direction vector m; the GLRLM r_ij counts runs of grey level i and length j.
/// N_s = Σ r_ij runs; N_v = Σ j r_ij voxels (each voxel lies in exactly one run per direction, so merged matrices
/// carry the summed voxel counts, as IBSI requires). Aggregation over directions and slices:
/// <see cref="DirectionalAggregation"/>.
/// </summary>
internal sealed class Glrlm : IDirectionalFamily<LevelMatrixStatistics>
{
    public IReadOnlyList<TextureFeature<LevelMatrixStatistics>> Features => Definitions;

    private static readonly TextureFeature<LevelMatrixStatistics>[] Definitions =
    [
        new("rlm.sre", "22OV", s => s.SmallEmphasis),                   // IBSI 22OV: short runs emphasis, Σ r_.j / j² / N_s
        new("rlm.lre", "W4KF", s => s.LargeEmphasis),                   // IBSI W4KF: long runs emphasis, Σ j² r_.j / N_s
        new("rlm.lgre", "V3SW", s => s.LowGreyEmphasis),                // IBSI V3SW: low grey level run emphasis
        new("rlm.hgre", "G3QZ", s => s.HighGreyEmphasis),               // IBSI G3QZ: high grey level run emphasis
        new("rlm.srlge", "HTZT", s => s.SmallLowGreyEmphasis),          // IBSI HTZT: short run low grey level emphasis
        new("rlm.srhge", "GD3A", s => s.SmallHighGreyEmphasis),         // IBSI GD3A: short run high grey level emphasis
        new("rlm.lrlge", "IVPO", s => s.LargeLowGreyEmphasis),          // IBSI IVPO: long run low grey level emphasis
        new("rlm.lrhge", "3KUM", s => s.LargeHighGreyEmphasis),         // IBSI 3KUM: long run high grey level emphasis
        new("rlm.glnu", "R5YN", s => s.GreyNonUniformity),              // IBSI R5YN: grey level non-uniformity, Σ r_i.² / N_s
        new("rlm.glnu.norm", "OVBL", s => s.GreyNonUniformityNormalised), // IBSI OVBL: normalised grey level non-uniformity
        new("rlm.rlnu", "W92Y", s => s.SizeNonUniformity),              // IBSI W92Y: run length non-uniformity, Σ r_.j² / N_s
        new("rlm.rlnu.norm", "IC23", s => s.SizeNonUniformityNormalised), // IBSI IC23: normalised run length non-uniformity
        new("rlm.r.perc", "9ZK5", s => s.Percentage),                   // IBSI 9ZK5: run percentage, N_s / N_v
        new("rlm.gl.var", "8CE5", s => s.GreyVariance),                 // IBSI 8CE5: grey level variance
        new("rlm.rl.var", "SXLW", s => s.SizeVariance),                 // IBSI SXLW: run length variance
        new("rlm.rl.entr", "HJ9O", s => s.Entropy),                     // IBSI HJ9O: run entropy
    ];

    public static void Compute(TextureVolume volume, TextureOptions options, List<Feature> output) =>
        DirectionalAggregation.Compute(volume, new Glrlm(volume), step: 1, options, output);

    private readonly TextureVolume _volume;
    private readonly int[] _runLength;

    internal Glrlm(TextureVolume volume)
    {
        _volume = volume;
        _runLength = Enumerable.Range(0, volume.LongestLine + 1).ToArray();
    }

    /// <summary>Row = compact grey level, column = run length 1…longest line of the bounding box.</summary>
    public int MatrixLength => _volume.GreyLevel.Length * _runLength.Length;

    public void Count(ReadOnlySpan<int> voxels, int offset, Span<long> matrix)
    {
        var levels = _volume.Levels;
        int columns = _runLength.Length;
        foreach (int start in voxels)
        {
            int level = levels[start];
            if (levels[start - offset] == level) continue; // not the first voxel of its run
            int length = 1;
            for (int v = start + offset; levels[v] == level; v += offset) length++;
            matrix[level * columns + length]++;
        }
    }

    /// <summary>Non-zero entries r(i, j) keyed by grey level and run length, as the IBSI manual prints GLRLMs.</summary>
    internal Dictionary<(int I, int J), long> CountsByGreyLevel(ReadOnlySpan<long> matrix)
    {
        var entries = new Dictionary<(int, int), long>();
        int columns = _runLength.Length;
        for (int i = 1; i < _volume.GreyLevel.Length; i++)
            for (int j = 1; j < columns; j++)
                if (matrix[i * columns + j] != 0) entries[(_volume.GreyLevel[i], j)] = matrix[i * columns + j];
        return entries;
    }

    public LevelMatrixStatistics? Statistics(ReadOnlySpan<long> matrix) => Statistics<long>(matrix);

    public LevelMatrixStatistics? Statistics(ReadOnlySpan<double> weightedMatrix) => Statistics<double>(weightedMatrix);

    /// <summary>N_v = Σ j r_ij, also for a weighted sum of matrices (PyRadiomics' N_p of the summed matrix).</summary>
    private LevelMatrixStatistics? Statistics<T>(ReadOnlySpan<T> matrix) where T : unmanaged, INumber<T>
    {
        int columns = _runLength.Length;
        T voxels = T.Zero;
        for (int rowStart = 0; rowStart < matrix.Length; rowStart += columns)
            for (int j = 1; j < columns; j++) voxels += matrix[rowStart + j] * T.CreateTruncating(j);
        return LevelMatrixStatistics.Compute(matrix, _runLength, _volume.GreyLevel, double.CreateTruncating(voxels));
    }
}
