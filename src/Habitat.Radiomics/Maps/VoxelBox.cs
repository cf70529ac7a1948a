using Habitat.Imaging;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// An axis-aligned block of a grid's voxels: start index (X0, Y0, Z0) and size. Maps are held over the
/// ROI's box rather than the whole grid, and expanded to the grid only when written.
/// </summary>
public readonly record struct VoxelBox(int X0, int Y0, int Z0, int Nx, int Ny, int Nz)
{
    public int Count => Nx * Ny * Nz;
    public int X1 => X0 + Nx - 1;
    public int Y1 => Y0 + Ny - 1;
    public int Z1 => Z0 + Nz - 1;

    /// <summary>Index of grid voxel (x, y, z) inside this box, x fastest.</summary>
    public int Index(int x, int y, int z) => x - X0 + Nx * (y - Y0 + Ny * (z - Z0));

    /// <summary>The smallest box holding every non-zero voxel of <paramref name="mask"/>; throws when the mask is empty.</summary>
    public static VoxelBox Bounding(Grid grid, byte[] mask)
    {
        if (mask.Length != grid.Count)
            throw new ArgumentException($"mask holds {mask.Length} voxels, grid needs {grid.Count}", nameof(mask));
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (int z = 0, n = 0; z < grid.Nz; z++)
            for (int y = 0; y < grid.Ny; y++)
                for (int x = 0; x < grid.Nx; x++, n++)
                {
                    if (mask[n] == 0) continue;
                    if (x < x0) x0 = x; if (x > x1) x1 = x;
                    if (y < y0) y0 = y; if (y > y1) y1 = y;
                    if (z < z0) z0 = z; if (z > z1) z1 = z;
                }
        if (x1 < 0) throw new ArgumentException("the region of interest is empty", nameof(mask));
        return new VoxelBox(x0, y0, z0, x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1);
    }

    /// <summary>This box grown by the given margins on both sides, clipped to the grid.</summary>
    public VoxelBox Grow(Grid grid, int inPlane, int slices)
    {
        int x0 = Math.Max(0, X0 - inPlane), y0 = Math.Max(0, Y0 - inPlane), z0 = Math.Max(0, Z0 - slices);
        int x1 = Math.Min(grid.Nx - 1, X1 + inPlane), y1 = Math.Min(grid.Ny - 1, Y1 + inPlane), z1 = Math.Min(grid.Nz - 1, Z1 + slices);
        return new VoxelBox(x0, y0, z0, x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1);
    }
}

/// <summary>
/// A per-voxel feature map over <see cref="Box"/> of <see cref="Grid"/>: one value per box voxel, NaN where the
/// feature was not computed (outside the ROI).
/// </summary>
public sealed class FeatureMap
{
    public string Name { get; }
    public Grid Grid { get; }
    public VoxelBox Box { get; }
    public float[] Values { get; }

    public FeatureMap(string name, Grid grid, VoxelBox box, float[] values)
    {
        if (values.Length != box.Count)
            throw new ArgumentException($"map '{name}' holds {values.Length} values, its box needs {box.Count}", nameof(values));
        Name = name; Grid = grid; Box = box; Values = values;
    }

    /// <summary>Value at grid voxel (x, y, z); NaN outside the box.</summary>
    public float At(int x, int y, int z) =>
        x < Box.X0 || x > Box.X1 || y < Box.Y0 || y > Box.Y1 || z < Box.Z0 || z > Box.Z1 ? float.NaN : Values[Box.Index(x, y, z)];

    /// <summary>The map on the full input grid (same geometry as the image), NaN outside the box.</summary>
    public Volume ToVolume()
    {
        var voxels = new float[Grid.Count];
        Array.Fill(voxels, float.NaN);
        for (int z = 0; z < Box.Nz; z++)
            for (int y = 0; y < Box.Ny; y++)
                Values.AsSpan(Box.Nx * (y + Box.Ny * z), Box.Nx).CopyTo(voxels.AsSpan(Grid.Index(Box.X0, Box.Y0 + y, Box.Z0 + z), Box.Nx));
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
