using System.Buffers;
using Habitat.Radiomics.Features.Texture;
using static Habitat.Radiomics.Features.TextureAggregation;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI 1 grey level distance zone based features (VMDZ). The GLDZM d_ij counts zones (<see cref="Zones"/>, found on
/// the intensity mask as for the GLSZM) of grey level i whose distance to the ROI edge is j. A zone's distance is the
/// smallest distance of its voxels in the distance map of the morphological mask (<see cref="DistanceToEdge"/>).
/// Aggregation (IBSI): "2D" per slice averaged, "2.5D" the slices' matrices merged (N_v summed), "3D" volumetric.
/// </summary>
internal static class Gldzm
{
    private static readonly TextureFeature<LevelMatrixStatistics>[] Features =
    [
        new("dzm.sde", "0GBI", s => s.SmallEmphasis),                     // IBSI 0GBI: small distance emphasis, Σ d_.j / j² / N_s
        new("dzm.lde", "MB4I", s => s.LargeEmphasis),                     // IBSI MB4I: large distance emphasis, Σ j² d_.j / N_s
        new("dzm.lgze", "S1RA", s => s.LowGreyEmphasis),                  // IBSI S1RA: low grey level zone emphasis
        new("dzm.hgze", "K26C", s => s.HighGreyEmphasis),                 // IBSI K26C: high grey level zone emphasis
        new("dzm.sdlge", "RUVG", s => s.SmallLowGreyEmphasis),            // IBSI RUVG: small distance low grey level emphasis
        new("dzm.sdhge", "DKNJ", s => s.SmallHighGreyEmphasis),           // IBSI DKNJ: small distance high grey level emphasis
        new("dzm.ldlge", "A7WM", s => s.LargeLowGreyEmphasis),            // IBSI A7WM: large distance low grey level emphasis
        new("dzm.ldhge", "KLTH", s => s.LargeHighGreyEmphasis),           // IBSI KLTH: large distance high grey level emphasis
        new("dzm.glnu", "VFT7", s => s.GreyNonUniformity),                // IBSI VFT7: grey level non-uniformity
        new("dzm.glnu.norm", "7HP3", s => s.GreyNonUniformityNormalised), // IBSI 7HP3: normalised grey level non-uniformity
        new("dzm.zdnu", "V294", s => s.SizeNonUniformity),                // IBSI V294: zone distance non-uniformity
        new("dzm.zdnu.norm", "IATH", s => s.SizeNonUniformityNormalised), // IBSI IATH: normalised zone distance non-uniformity
        new("dzm.z.perc", "VIWW", s => s.Percentage),                     // IBSI VIWW: zone percentage, N_s / N_v
        new("dzm.gl.var", "QK93", s => s.GreyVariance),                   // IBSI QK93: grey level variance
        new("dzm.zd.var", "7WT1", s => s.SizeVariance),                   // IBSI 7WT1: zone distance variance
        new("dzm.zd.entr", "GBDU", s => s.Entropy),                       // IBSI GBDU: zone distance entropy
    ];

    public static void Compute(TextureVolume volume, ZoneCache zones, TextureOptions options, List<Feature> output)
    {
        if (options.Computes(TwoD) || options.Computes(TwoPointFiveD))
        {
            var planar = zones.Planar;
            var distance = ZoneDistances(volume, planar, planar: true);
            var merged = LevelMatrix.WithIndexColumns(volume.GreyLevel.Length, distance.Max());
            var slice = LevelMatrix.WithIndexColumns(volume.GreyLevel.Length, distance.Max());
            var mean = new FeatureMean(Features.Length);
            var values = new double[Features.Length];
            for (int k = 0; k < volume.Nz; k++)
            {
                if (planar.SliceStart[k] == planar.SliceStart[k + 1]) continue;
                slice.Clear();
                for (int z = planar.SliceStart[k]; z < planar.SliceStart[k + 1]; z++) slice[planar.Level[z], distance[z]]++;
                TextureOutput.Evaluate(Features, LevelMatrixStatistics.Compute(slice, volume.GreyLevel, volume.SliceVoxelCount(k))!, values);
                mean.Add(values);
                merged.Add(slice);
            }
            if (options.Computes(TwoD)) TextureOutput.Emit(Features, TwoD, mean.Values(), output);
            if (options.Computes(TwoPointFiveD))
                TextureOutput.Emit(Features, TwoPointFiveD, LevelMatrixStatistics.Compute(merged, volume.GreyLevel, volume.VoxelCount), output);
        }
        if (options.Computes(ThreeD))
        {
            var volumetric = zones.Volumetric;
            var distance = ZoneDistances(volume, volumetric, planar: false);
            var matrix = LevelMatrix.WithIndexColumns(volume.GreyLevel.Length, distance.Max());
            for (int z = 0; z < volumetric.Count; z++) matrix[volumetric.Level[z], distance[z]]++;
            TextureOutput.Emit(Features, ThreeD, LevelMatrixStatistics.Compute(matrix, volume.GreyLevel, volume.VoxelCount), output);
        }
    }

    /// <summary>
    /// IBSI distance to the ROI edge: the fewest steps between 6-connected (3-D) or, within the slice, 4-connected (2-D)
    /// voxels that leave the morphological mask, so that voxels on the edge have distance 1 (0 outside the mask).
    /// This is the city-block distance to the nearest voxel outside the mask, computed exactly by one forward and one
    /// backward raster pass (Rosenfeld and Pfaltz); the padding outside the bounding box counts as outside.
    /// </summary>
    internal static int[] DistanceToEdge(TextureVolume volume, bool planar)
    {
        var distance = GC.AllocateUninitializedArray<int>(volume.Morphological.Length);
        DistanceToEdge(volume, planar, distance);
        return distance;
    }

    /// <summary>The same into <paramref name="distance"/> (at least as long as the padded box).</summary>
    private static void DistanceToEdge(TextureVolume volume, bool planar, int[] distance)
    {
        var inside = volume.Morphological;
        int dx = 1, dy = volume.Nx, dz = volume.SliceSize;
        for (int v = 0; v < inside.Length; v++)
        {
            if (inside[v] == 0)
            {
                distance[v] = 0;
                continue;
            }
            int nearest = Math.Min(distance[v - dx], distance[v - dy]);
            if (!planar) nearest = Math.Min(nearest, distance[v - dz]);
            distance[v] = nearest + 1;
        }
        for (int v = inside.Length - 1; v >= 0; v--)
            if (inside[v] != 0)
            {
                int nearest = Math.Min(distance[v + dx], distance[v + dy]);
                if (!planar) nearest = Math.Min(nearest, distance[v + dz]);
                distance[v] = Math.Min(distance[v], nearest + 1);
            }
    }

    /// <summary>Each zone's distance, with a distance map borrowed from the shared pool (it spans the padded box: a large object for a small ROI).</summary>
    private static int[] ZoneDistances(TextureVolume volume, Zones zones, bool planar)
    {
        var map = ArrayPool<int>.Shared.Rent(volume.Morphological.Length);
        try
        {
            DistanceToEdge(volume, planar, map);
            return ZoneDistances(volume, zones, map);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(map);
        }
    }

    /// <summary>Each zone's distance: the smallest distance among its voxels.</summary>
    internal static int[] ZoneDistances(TextureVolume volume, Zones zones, int[] distanceMap)
    {
        var distance = new int[zones.Count];
        Array.Fill(distance, int.MaxValue);
        var roi = volume.RoiVoxels;
        for (int n = 0; n < roi.Length; n++)
        {
            int zone = zones.ZoneOfVoxel[n];
            distance[zone] = Math.Min(distance[zone], distanceMap[roi[n]]);
        }
        return distance;
    }
}
