using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Features.Texture;

/// <summary>
/// A <see cref="DiscretisedRoi"/> prepared for fast texture matrix construction: cropped to the bounding box of the
/// ROI, padded on every side with voxels outside the ROI (so that neighbour lookups never leave the array and need no
/// bounds checks), and with grey levels renumbered compactly (1…<see cref="PresentLevels"/> in increasing grey level
/// order, 0 outside the intensity mask) so that matrices only hold levels that occur.
/// </summary>
internal sealed class TextureVolume
{
    /// <summary>Padded size; slices are x-y planes (k fixed).</summary>
    public int Nx { get; }
    public int Ny { get; }
    public int Nz { get; }
    public int SliceSize => Nx * Ny;

    /// <summary>Compact grey level per padded voxel; 0 outside the intensity mask.</summary>
    public ushort[] Levels { get; }

    /// <summary>1 inside the morphological mask, per padded voxel.</summary>
    public byte[] Morphological { get; }

    /// <summary>Discretised grey level of each compact level (index 0 unused).</summary>
    public int[] GreyLevel { get; }

    /// <summary>N_g: the number of grey levels of the discretisation (the highest level that may occur).</summary>
    public int LevelCount { get; }

    /// <summary>Number of distinct grey levels inside the intensity mask.</summary>
    public int PresentLevels => GreyLevel.Length - 1;

    /// <summary>Padded index of every intensity-mask voxel, increasing (hence slice by slice).</summary>
    public int[] RoiVoxels { get; }

    /// <summary>Voxels of padded slice k are <c>RoiVoxels[SliceStart[k]..SliceStart[k + 1]]</c>.</summary>
    public int[] SliceStart { get; }

    /// <summary>Longest straight line of voxels in the box: the longest possible run.</summary>
    public int LongestLine { get; }

    public int VoxelCount => RoiVoxels.Length;

    /// <summary>Most distinct grey levels a texture matrix may hold (a GLCM of this size takes 128 MB).</summary>
    public const int MaxPresentLevels = 4096;

    private TextureVolume(int nx, int ny, int nz, ushort[] levels, byte[] morphological, int[] greyLevel, int levelCount,
        int[] roiVoxels, int[] sliceStart, int longestLine)
    {
        Nx = nx; Ny = ny; Nz = nz;
        Levels = levels; Morphological = morphological; GreyLevel = greyLevel; LevelCount = levelCount;
        RoiVoxels = roiVoxels; SliceStart = sliceStart; LongestLine = longestLine;
    }

    public int Offset(int dx, int dy, int dz) => dx + Nx * (dy + Ny * dz);

    public ReadOnlySpan<int> SliceVoxels(int k) => RoiVoxels.AsSpan(SliceStart[k], SliceStart[k + 1] - SliceStart[k]);

    public int SliceVoxelCount(int k) => SliceStart[k + 1] - SliceStart[k];

    /// <summary>Crops, pads by <paramref name="padding"/> voxels and renumbers <paramref name="roi"/>.</summary>
    /// <exception cref="ArgumentException">The ROI's arrays do not match its grid, a level is outside 0…N_g,
    /// the intensity mask is empty, or it holds more than <see cref="MaxPresentLevels"/> distinct grey levels.</exception>
    public static TextureVolume Create(DiscretisedRoi roi, int padding)
    {
        ArgumentNullException.ThrowIfNull(roi);
        var grid = roi.Grid;
        int n = grid.Count;
        if (roi.Levels.Length != n)
            throw new ArgumentException($"the ROI holds {roi.Levels.Length} grey levels but its grid has {n} voxels", nameof(roi));
        if (roi.MorphologicalMask.Length != n)
            throw new ArgumentException($"the morphological mask holds {roi.MorphologicalMask.Length} voxels but the grid has {n}", nameof(roi));
        if (roi.LevelCount < 1)
            throw new ArgumentException($"the number of grey levels must be positive, got {roi.LevelCount}", nameof(roi));

        var levels = roi.Levels;
        var morph = roi.MorphologicalMask;
        int invalid = levels.AsSpan().IndexOfAnyExceptInRange(0, roi.LevelCount);
        if (invalid >= 0)
            throw new ArgumentException(
                $"grey level {levels[invalid]} at voxel ({invalid % grid.Nx}, {invalid / grid.Nx % grid.Ny}, {invalid / grid.Nx / grid.Ny}) is outside 0…{roi.LevelCount}", nameof(roi));

        int roiCount = n - levels.AsSpan().Count(0);
        if (roiCount == 0) throw new ArgumentException("the ROI's intensity mask is empty: texture features are undefined", nameof(roi));

        // Bounding box of the intensity and morphological masks, row by row with vectorised searches.
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
            {
                int row = grid.Index(0, j, k);
                var levelRow = levels.AsSpan(row, grid.Nx);
                var morphRow = morph.AsSpan(row, grid.Nx);
                int firstLevel = levelRow.IndexOfAnyExcept(0), firstMorph = morphRow.IndexOfAnyExcept((byte)0);
                if (firstLevel < 0 && firstMorph < 0) continue;
                int first = firstLevel < 0 ? firstMorph : firstMorph < 0 ? firstLevel : Math.Min(firstLevel, firstMorph);
                int last = Math.Max(levelRow.LastIndexOfAnyExcept(0), morphRow.LastIndexOfAnyExcept((byte)0));
                x0 = Math.Min(x0, first); x1 = Math.Max(x1, last);
                y0 = Math.Min(y0, j); y1 = Math.Max(y1, j);
                z0 = Math.Min(z0, k); z1 = Math.Max(z1, k);
            }

        int bx = x1 - x0 + 1, by = y1 - y0 + 1, bz = z1 - z0 + 1;
        long paddedCount = (long)(bx + 2 * padding) * (by + 2 * padding) * (bz + 2 * padding);
        if (paddedCount > int.MaxValue)
            throw new ArgumentException($"the ROI's bounding box ({bx}×{by}×{bz}) is too large for texture analysis", nameof(roi));
        int nx = bx + 2 * padding, ny = by + 2 * padding, nz = bz + 2 * padding;
        var padded = new ushort[paddedCount];
        var paddedMorph = new byte[paddedCount];
        var roiVoxels = new int[roiCount];
        var sliceStart = new int[nz + 1];
        var present = new bool[roi.LevelCount + 1];
        int count = 0;
        for (int k = 0; k < nz; k++)
        {
            sliceStart[k] = count;
            int sz = k - padding + z0;
            if (sz < z0 || sz > z1) continue;
            for (int j = padding; j < padding + by; j++)
            {
                int src = grid.Index(x0, j - padding + y0, sz);
                int dst = padding + nx * (j + ny * k);
                for (int i = 0; i < bx; i++)
                {
                    int level = levels[src + i];
                    // The intensity mask is the re-segmented morphological mask, so its voxels always count as inside.
                    paddedMorph[dst + i] = morph[src + i] != 0 || level != 0 ? (byte)1 : (byte)0;
                    if (level == 0) continue;
                    padded[dst + i] = (ushort)level;
                    present[level] = true;
                    roiVoxels[count++] = dst + i;
                }
            }
        }
        sliceStart[nz] = count;

        // Renumber the grey levels that occur as 1, 2, … in increasing order.
        var greyLevel = new List<int> { 0 };
        var compact = new ushort[roi.LevelCount + 1];
        for (int level = 1; level <= roi.LevelCount; level++)
            if (present[level])
            {
                if (greyLevel.Count > MaxPresentLevels)
                    throw new ArgumentException(
                        $"the ROI holds more than {MaxPresentLevels} distinct grey levels, the most texture matrices accept (discretise more coarsely)", nameof(roi));
                compact[level] = (ushort)greyLevel.Count;
                greyLevel.Add(level);
            }
        foreach (int v in roiVoxels) padded[v] = compact[padded[v]];
        return new TextureVolume(nx, ny, nz, padded, paddedMorph, greyLevel.ToArray(), roi.LevelCount,
            roiVoxels, sliceStart, Math.Max(bx, Math.Max(by, bz)));
    }
}
