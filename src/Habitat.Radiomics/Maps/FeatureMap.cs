using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// A per-voxel feature map over <see cref="Box"/> (the ROI's bounding box) of <see cref="Grid"/>: one value per box
/// voxel, NaN where the feature was not computed (outside the ROI). Expanded to the whole grid only when written.
/// </summary>
public sealed class FeatureMap
{
    public string Name { get; }
    public Grid Grid { get; }
    public Box Box { get; }
    public float[] Values { get; }

    public FeatureMap(string name, Grid grid, Box box, float[] values)
    {
        if (values.Length != box.Count)
            throw new ArgumentException($"map '{name}' holds {values.Length} values, its box needs {box.Count}", nameof(values));
        Name = name; Grid = grid; Box = box; Values = values;
    }

    /// <summary>Value at grid voxel (x, y, z); NaN outside the box.</summary>
    public float At(int x, int y, int z) => Box.Contains(x, y, z) ? Values[Box.Index(x, y, z)] : float.NaN;

    /// <summary>The map on the full input grid (same geometry as the image), NaN outside the box.</summary>
    public Volume ToVolume()
    {
        var voxels = new float[Grid.Count];
        Array.Fill(voxels, float.NaN);
        for (int z = 0; z < Box.Nz; z++)
            for (int y = 0; y < Box.Ny; y++)
                Values.AsSpan(Box.Nx * (y + Box.Ny * z), Box.Nx).CopyTo(voxels.AsSpan(Grid.Index(Box.I0, Box.J0 + y, Box.K0 + z), Box.Nx));
        return new Volume(Grid, voxels, PixelType.Float32);
    }

    /// <summary>The finite values of the map (the ROI voxels), in box order.</summary>
    public double[] RoiValues()
    {
        int n = 0;
        foreach (var v in Values) if (float.IsFinite(v)) n++;
        var result = new double[n];
        n = 0;
        foreach (var v in Values) if (float.IsFinite(v)) result[n++] = v;
        return result;
    }
}

internal static class MapBox
{
    /// <summary>The bounding box of the non-zero voxels of <paramref name="mask"/>; throws when there is none.</summary>
    public static Box Bounding(Grid grid, byte[] mask)
    {
        if (mask.Length != grid.Count)
            throw new ArgumentException($"mask holds {mask.Length} voxels, grid needs {grid.Count}", nameof(mask));
        var box = Box.Bounding(grid, mask);
        return box.IsEmpty ? throw new EmptyRoiException("the region of interest holds no voxel") : box;
    }
}
