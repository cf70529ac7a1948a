namespace Habitat.Imaging;

/// <summary>
/// A label image (mask or multi-label map) on a grid: one non-negative integer label per voxel, 0 = background.
/// Built from a <see cref="Volume"/> read from any format, so masks share the volume type on disk.
/// </summary>
public sealed class LabelVolume
{
    public Grid Grid { get; }
    public int[] Labels { get; }

    public LabelVolume(Grid grid, int[] labels)
    {
        if (labels.LongLength != grid.VoxelCount)
            throw new ArgumentException($"label buffer holds {labels.LongLength} values, grid needs {grid.VoxelCount}", nameof(labels));
        Grid = grid;
        Labels = labels;
    }

    /// <summary>Rounds each voxel to the nearest integer label; NaN and negative values are an error.</summary>
    public static LabelVolume FromVolume(Volume volume, string source)
    {
        var labels = new int[volume.Voxels.Length];
        for (int n = 0; n < labels.Length; n++)
        {
            float v = volume.Voxels[n];
            if (!(v >= 0) || v > int.MaxValue)
                throw new ImageFormatException(source, $"label image holds a value that is not a non-negative label ({v}) at voxel {n}");
            labels[n] = (int)MathF.Round(v);
        }
        return new LabelVolume(volume.Grid, labels);
    }

    /// <summary>Voxel count of each label present (background included), in ascending label order.</summary>
    public SortedDictionary<int, long> CountByLabel()
    {
        var counts = new SortedDictionary<int, long>();
        foreach (var l in Labels)
            counts[l] = counts.TryGetValue(l, out var c) ? c + 1 : 1;
        return counts;
    }

    /// <summary>A binary mask (1 inside) of the voxels carrying <paramref name="label"/>.</summary>
    public byte[] MaskOf(int label)
    {
        var mask = new byte[Labels.Length];
        for (int n = 0; n < mask.Length; n++) mask[n] = Labels[n] == label ? (byte)1 : (byte)0;
        return mask;
    }

    /// <summary>A binary mask of every non-zero label.</summary>
    public byte[] Foreground()
    {
        var mask = new byte[Labels.Length];
        for (int n = 0; n < mask.Length; n++) mask[n] = Labels[n] != 0 ? (byte)1 : (byte)0;
        return mask;
    }

    public Volume ToVolume(PixelType storedType = PixelType.UInt8)
    {
        var voxels = new float[Labels.Length];
        for (int n = 0; n < voxels.Length; n++) voxels[n] = Labels[n];
        return new Volume(Grid, voxels, storedType);
    }
}
