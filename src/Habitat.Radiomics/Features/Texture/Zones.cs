using System.Buffers;

namespace Habitat.Radiomics.Features.Texture;

/// <summary>
/// Zones: maximal groups of linked intensity-mask voxels with the same grey level (IBSI: Chebyshev distance 1, i.e.
/// 26-connected in 3-D and 8-connected within a slice in 2-D). Shared by GLSZM (zone size) and GLDZM (zone distance).
/// Labelled with a union-find over one raster scan that links each voxel to its already-visited neighbours; links
/// always point to the smaller voxel index, so a second scan in the same order resolves every voxel's zone directly.
/// </summary>
internal sealed class Zones
{
    /// <summary>Zone of each intensity-mask voxel, parallel to <see cref="TextureVolume.RoiVoxels"/>.</summary>
    public int[] ZoneOfVoxel { get; }
    /// <summary>Compact grey level of each zone.</summary>
    public ushort[] Level { get; }
    /// <summary>Number of voxels of each zone.</summary>
    public int[] Size { get; }
    public int Count { get; }
    /// <summary>For planar zones: zones of padded slice k are <c>SliceStart[k]…SliceStart[k + 1] − 1</c> (zones are numbered slice by slice).</summary>
    public int[] SliceStart { get; }

    private Zones(int[] zoneOfVoxel, ushort[] level, int[] size, int count, int[] sliceStart)
    {
        ZoneOfVoxel = zoneOfVoxel; Level = level; Size = size; Count = count; SliceStart = sliceStart;
    }

    /// <summary>Labels the zones of <paramref name="volume"/>, within each slice when <paramref name="planar"/>.</summary>
    public static Zones Label(TextureVolume volume, bool planar)
    {
        // Neighbours visited before a voxel in raster order: the half of its 8 (in-plane) or 26 neighbours with a smaller index.
        var earlier = new List<int> { volume.Offset(-1, -1, 0), volume.Offset(0, -1, 0), volume.Offset(1, -1, 0), volume.Offset(-1, 0, 0) };
        if (!planar)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    earlier.Add(volume.Offset(dx, dy, -1));
        var offsets = earlier.ToArray();

        // Only intensity-mask entries are ever read, each after it is written: no need to clear the array. It spans the
        // padded box (a large object for a small ROI), so it is borrowed from the shared pool.
        var parent = ArrayPool<int>.Shared.Rent(volume.Levels.Length);
        try
        {
            return Label(volume, offsets, parent);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(parent);
        }
    }

    private static Zones Label(TextureVolume volume, int[] offsets, int[] parent)
    {
        var levels = volume.Levels;
        var roi = volume.RoiVoxels;
        foreach (int v in roi)
        {
            // root: the root of v's set so far (the smallest voxel index in it).
            int root = v, level = levels[v];
            foreach (int offset in offsets)
            {
                int w = v + offset;
                if (levels[w] != level) continue;
                int other = Find(parent, w);
                if (other < root)
                {
                    if (root != v) parent[root] = other;
                    root = other;
                }
                else if (other > root) parent[other] = root;
            }
            parent[v] = root;
        }

        // Resolve: a root starts a new zone (stored as ~zone); any other voxel's parent is earlier, hence resolved already.
        var zoneOfVoxel = new int[roi.Length];
        var zoneLevel = new ushort[roi.Length];
        var size = new int[roi.Length];
        var sliceStart = new int[volume.Nz + 1];
        int zones = 0;
        for (int k = 0; k < volume.Nz; k++)
        {
            sliceStart[k] = zones;
            for (int n = volume.SliceStart[k]; n < volume.SliceStart[k + 1]; n++)
            {
                int v = roi[n];
                int p = parent[v];
                if (p == v)
                {
                    zoneLevel[zones] = levels[v];
                    parent[v] = ~zones++;
                }
                else parent[v] = parent[p];
                int zone = ~parent[v];
                zoneOfVoxel[n] = zone;
                size[zone]++;
            }
        }
        sliceStart[volume.Nz] = zones;
        return new Zones(zoneOfVoxel, zoneLevel, size, zones, sliceStart);
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]]; // path halving
            x = parent[x];
        }
        return x;
    }

}

/// <summary>Zones labelled on first use and shared by GLSZM and GLDZM.</summary>
internal sealed class ZoneCache(TextureVolume volume)
{
    private Zones? _planar, _volumetric;

    /// <summary>Zones linked within each slice (8-connected).</summary>
    public Zones Planar => _planar ??= Zones.Label(volume, planar: true);

    /// <summary>Zones linked in 3-D (26-connected).</summary>
    public Zones Volumetric => _volumetric ??= Zones.Label(volume, planar: false);
}
