namespace Habitat.Imaging;

/// <summary>
/// A 3-D scalar volume: a <see cref="Grid"/> plus one float per voxel in the grid's index order
/// (x fastest). <see cref="StoredType"/> remembers the on-disk data type so that writing can keep it.
/// </summary>
public sealed class Volume
{
    public Grid Grid { get; }
    public float[] Voxels { get; }
    public PixelType StoredType { get; }

    public Volume(Grid grid, float[] voxels, PixelType storedType = PixelType.Float32)
    {
        if (voxels.LongLength != grid.VoxelCount)
            throw new ArgumentException($"voxel buffer holds {voxels.LongLength} values, grid needs {grid.VoxelCount}", nameof(voxels));
        Grid = grid;
        Voxels = voxels;
        StoredType = storedType;
    }

    public static Volume Zeros(Grid grid, PixelType storedType = PixelType.Float32) => new(grid, new float[grid.Count], storedType);

    public float this[int i, int j, int k]
    {
        get => Voxels[Grid.Index(i, j, k)];
        set => Voxels[Grid.Index(i, j, k)] = value;
    }

    public Volume WithVoxels(float[] voxels, PixelType? storedType = null) => new(Grid, voxels, storedType ?? StoredType);

    /// <summary>Minimum and maximum over all finite voxels (NaN, NaN when there are none).</summary>
    public (float Min, float Max) Range()
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in Voxels)
        {
            if (!float.IsFinite(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return min > max ? (float.NaN, float.NaN) : (min, max);
    }
}
