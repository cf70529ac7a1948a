using System.Buffers;
using Habitat.Radiomics.Features.Texture;
using static Habitat.Radiomics.Features.TextureAggregation;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI 1 grey level size zone based features (9SAK). The GLSZM s_ij counts zones (<see cref="Zones"/>) of grey
/// level i and size j voxels; N_s = Σ s_ij zones, N_v voxels. Aggregation (IBSI): "2D" features per slice averaged
/// over slices, "2.5D" one matrix of all slices' zones (N_v summed), "3D" one matrix of volumetric zones.
/// Zone sizes can reach the ROI's voxel count, so the matrix keeps only the sizes that occur as columns.
/// </summary>
internal static class Glszm
{
    private static readonly TextureFeature<LevelMatrixStatistics>[] Features =
    [
        new("szm.sze", "5QRC", s => s.SmallEmphasis),                     // IBSI 5QRC: small zone emphasis, Σ s_.j / j² / N_s
        new("szm.lze", "48P8", s => s.LargeEmphasis),                     // IBSI 48P8: large zone emphasis, Σ j² s_.j / N_s
        new("szm.lgze", "XMSY", s => s.LowGreyEmphasis),                  // IBSI XMSY: low grey level zone emphasis
        new("szm.hgze", "5GN9", s => s.HighGreyEmphasis),                 // IBSI 5GN9: high grey level zone emphasis
        new("szm.szlge", "5RAI", s => s.SmallLowGreyEmphasis),            // IBSI 5RAI: small zone low grey level emphasis
        new("szm.szhge", "HW1V", s => s.SmallHighGreyEmphasis),           // IBSI HW1V: small zone high grey level emphasis
        new("szm.lzlge", "YH51", s => s.LargeLowGreyEmphasis),            // IBSI YH51: large zone low grey level emphasis
        new("szm.lzhge", "J17V", s => s.LargeHighGreyEmphasis),           // IBSI J17V: large zone high grey level emphasis
        new("szm.glnu", "JNSA", s => s.GreyNonUniformity),                // IBSI JNSA: grey level non-uniformity
        new("szm.glnu.norm", "Y1RO", s => s.GreyNonUniformityNormalised), // IBSI Y1RO: normalised grey level non-uniformity
        new("szm.zsnu", "4JP3", s => s.SizeNonUniformity),                // IBSI 4JP3: zone size non-uniformity
        new("szm.zsnu.norm", "VB3A", s => s.SizeNonUniformityNormalised), // IBSI VB3A: normalised zone size non-uniformity
        new("szm.z.perc", "P30P", s => s.Percentage),                     // IBSI P30P: zone percentage, N_s / N_v
        new("szm.gl.var", "BYLV", s => s.GreyVariance),                   // IBSI BYLV: grey level variance
        new("szm.zs.var", "3NSA", s => s.SizeVariance),                   // IBSI 3NSA: zone size variance
        new("szm.zs.entr", "GU8N", s => s.Entropy),                       // IBSI GU8N: zone size entropy
    ];

    public static void Compute(TextureVolume volume, ZoneCache zones, TextureOptions options, List<Feature> output)
    {
        if (options.Computes(TwoD) || options.Computes(TwoPointFiveD))
        {
            var planar = zones.Planar;
            if (options.Computes(TwoD))
            {
                var mean = new FeatureMean(Features.Length);
                var values = new double[Features.Length];
                for (int k = 0; k < volume.Nz; k++)
                    if (Statistics(volume, planar, planar.SliceStart[k], planar.SliceStart[k + 1], volume.SliceVoxelCount(k)) is { } slice)
                    {
                        TextureOutput.Evaluate(Features, slice, values);
                        mean.Add(values);
                    }
                TextureOutput.Emit(Features, TwoD, mean.Values(), output);
            }
            if (options.Computes(TwoPointFiveD))
                TextureOutput.Emit(Features, TwoPointFiveD, Statistics(volume, planar, 0, planar.Count, volume.VoxelCount), output);
        }
        if (options.Computes(ThreeD))
        {
            var volumetric = zones.Volumetric;
            TextureOutput.Emit(Features, ThreeD, Statistics(volume, volumetric, 0, volumetric.Count, volume.VoxelCount), output);
        }
    }

    /// <summary>Statistics of the GLSZM of zones <paramref name="first"/>…<paramref name="end"/>−1.</summary>
    private static LevelMatrixStatistics? Statistics(TextureVolume volume, Zones zones, int first, int end, int voxelCount)
    {
        if (end == first) return null;
        // The distinct zone sizes, ascending, become the matrix columns (after an empty column 0): marked in a table
        // indexed by size, which is cheaper than sorting the zones (sizes are bounded by the voxel count).
        int maxSize = 0;
        for (int z = first; z < end; z++) maxSize = Math.Max(maxSize, zones.Size[z]);
        var columnOfSize = ArrayPool<int>.Shared.Rent(maxSize + 1);
        try
        {
            Array.Clear(columnOfSize, 0, maxSize + 1);
            for (int z = first; z < end; z++) columnOfSize[zones.Size[z]] = 1;
            var sizes = new List<int> { 0 };
            for (int size = 1; size <= maxSize; size++)
                if (columnOfSize[size] != 0)
                {
                    columnOfSize[size] = sizes.Count;
                    sizes.Add(size);
                }
            var matrix = new LevelMatrix(volume.GreyLevel.Length, sizes.ToArray());
            for (int z = first; z < end; z++) matrix[zones.Level[z], columnOfSize[zones.Size[z]]]++;
            return LevelMatrixStatistics.Compute(matrix, volume.GreyLevel, voxelCount);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columnOfSize);
        }
    }
}
