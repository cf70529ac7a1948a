using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Habitat.Imaging;
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
    /// <summary>Offsets from a voxel to the voxels of its neighbourhood (the centre included); the first
    /// <see cref="PlaneSize"/> lie in its slice.</summary>
    public readonly record struct Neighbourhood(int[] Offsets, int PlaneSize);

    /// <summary>Padded size; slices are x-y planes (k fixed).</summary>
    public int Nx { get; }
    public int Ny { get; }
    public int Nz { get; }
    public int SliceSize => Nx * Ny;

    /// <summary>Compact grey level per padded voxel; 0 outside the intensity mask. <see cref="LevelSlack"/> more zero
    /// entries follow the box, so that a vector load starting at any voxel stays inside the array.</summary>
    public ushort[] Levels { get; }

    public const int LevelSlack = 16;

    /// <summary>Discretised grey level per padded voxel, laid out like <see cref="Levels"/> (the same array when no level
    /// was renumbered); built on first use.</summary>
    public ushort[] GreyLevels => _greyLevels ??= GreyLevelsOfVoxels();

    private ushort[]? _greyLevels;

    /// <summary>1 inside the morphological mask, per padded voxel; built on first use (only GLDZM needs it).</summary>
    public byte[] Morphological => _morphological ??= MaskOfRuns(_morphologicalRuns, Nx * Ny * Nz);

    private byte[]? _morphological;

    /// <summary>Runs of the morphological mask by padded index (they may overlap).</summary>
    private readonly Run[] _morphologicalRuns;

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
    public int LongestLine => Math.Max(BoxX, Math.Max(BoxY, BoxZ));

    public int VoxelCount => RoiVoxels.Length;

    /// <summary>Most distinct grey levels a texture matrix may hold (a GLCM of this size takes 128 MB).</summary>
    public const int MaxPresentLevels = 4096;

    private TextureVolume(int nx, int ny, int nz, ushort[] levels, Run[] morphologicalRuns, int[] greyLevel, int levelCount,
        int[] roiVoxels, int[] sliceStart, (int X, int Y, int Z) box)
    {
        Nx = nx; Ny = ny; Nz = nz;
        (BoxX, BoxY, BoxZ) = box;
        Levels = levels; _morphologicalRuns = morphologicalRuns; GreyLevel = greyLevel; LevelCount = levelCount;
        RoiVoxels = roiVoxels; SliceStart = sliceStart;
    }

    private ushort[] GreyLevelsOfVoxels()
    {
        if (GreyLevel[^1] == PresentLevels) return Levels; // compact levels are the grey levels
        var grey = new ushort[Levels.Length];
        foreach (int v in RoiVoxels) grey[v] = (ushort)GreyLevel[Levels[v]];
        return grey;
    }

    public int Offset(int dx, int dy, int dz) => dx + Nx * (dy + Ny * dz);

    /// <summary>
    /// The neighbourhood made of the centre voxel and the voxels whose Chebyshev distance from it is one of
    /// <paramref name="distances"/> (1…δ: IBSI's neighbourhood of distance δ; PyRadiomics' <c>distances</c> may leave
    /// gaps, e.g. [2] is a shell). Offsets with a component at least the ROI's box size along that axis are left out:
    /// from a voxel in the box they always land outside it, so they never meet a ROI voxel, and a large distance costs
    /// no more than the box allows. The remaining offsets stay within the padding when it covers the distance or the box.
    /// </summary>
    public Neighbourhood NeighbourhoodOf(IReadOnlyCollection<int> distances)
    {
        int max = distances.Max();
        int rx = Math.Min(max, BoxX - 1), ry = Math.Min(max, BoxY - 1), rz = Math.Min(max, BoxZ - 1);
        var inPlane = new List<int>();
        var outOfPlane = new List<int>();
        for (int dz = -rz; dz <= rz; dz++)
            for (int dy = -ry; dy <= ry; dy++)
                for (int dx = -rx; dx <= rx; dx++)
                {
                    int chebyshev = Math.Max(Math.Abs(dx), Math.Max(Math.Abs(dy), Math.Abs(dz)));
                    if (chebyshev == 0 || distances.Contains(chebyshev)) (dz == 0 ? inPlane : outOfPlane).Add(Offset(dx, dy, dz));
                }
        return new Neighbourhood([.. inPlane, .. outOfPlane], inPlane.Count);
    }

    /// <summary>Size of the ROI's bounding box (before padding).</summary>
    public int BoxX { get; }
    public int BoxY { get; }
    public int BoxZ { get; }

    public ReadOnlySpan<int> SliceVoxels(int k) => RoiVoxels.AsSpan(SliceStart[k], SliceStart[k + 1] - SliceStart[k]);

    public int SliceVoxelCount(int k) => SliceStart[k + 1] - SliceStart[k];

    /// <summary>Crops, pads by <paramref name="padding"/> voxels and renumbers <paramref name="roi"/>.</summary>
    public static TextureVolume Create(DiscretisedRoi roi, int padding) => Create(roi, padding, clipToBox: false);

    /// <summary>
    /// As <see cref="Create(DiscretisedRoi, int)"/>, but each axis is padded by at most the box size − 1 (at least 1):
    /// enough for any offset that can meet a ROI voxel, so that any distance costs at most the box's own size.
    /// Only for callers whose offsets are limited to the box (<see cref="NeighbourhoodOf"/>, PyRadiomics' angles).
    /// </summary>
    public static TextureVolume CreateReaching(DiscretisedRoi roi, int distance) => Create(roi, distance, clipToBox: true);

    /// <summary>Crops, pads and renumbers <paramref name="roi"/>.</summary>
    /// <exception cref="ArgumentException">The ROI's arrays do not match its grid, a level is outside 0…N_g,
    /// the intensity mask is empty, or it holds more than <see cref="MaxPresentLevels"/> distinct grey levels.</exception>
    private static TextureVolume Create(DiscretisedRoi roi, int padding, bool clipToBox)
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
        if (roi.LevelCount > ushort.MaxValue) // levels are held as 16-bit values below
            throw new ArgumentException($"texture matrices take at most {ushort.MaxValue} grey levels, got {roi.LevelCount}: use a coarser discretisation", nameof(roi));

        var levels = roi.Levels;
        var morph = roi.MorphologicalMask;
        // Runs of mask voxels along x (a small part of the grid): everything below visits only these.
        var levelRuns = NonZeroRuns<int>(levels, grid.Nx);
        var morphRuns = NonZeroRuns<byte>(morph, grid.Nx);
        int roiCount = 0;
        foreach (var run in levelRuns) roiCount += run.Length;
        if (roiCount == 0) throw new ArgumentException("the ROI's intensity mask is empty: texture features are undefined", nameof(roi));

        // Bounding box of the intensity and morphological masks.
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        foreach (var runs in (ReadOnlySpan<List<Run>>)[levelRuns, morphRuns])
            foreach (var run in runs)
            {
                var (i, j, k) = Ijk(grid, run.Start);
                x0 = Math.Min(x0, i); x1 = Math.Max(x1, i + run.Length - 1);
                y0 = Math.Min(y0, j); y1 = Math.Max(y1, j);
                z0 = Math.Min(z0, k); z1 = Math.Max(z1, k);
            }

        int bx = x1 - x0 + 1, by = y1 - y0 + 1, bz = z1 - z0 + 1;
        int Pad(int box) => clipToBox ? Math.Clamp(box - 1, 1, Math.Max(1, padding)) : padding;
        int px = Pad(bx), py = Pad(by), pz = Pad(bz);
        long paddedCount = (bx + 2L * px) * (by + 2L * py) * (bz + 2L * pz);
        if (paddedCount > int.MaxValue - LevelSlack)
            throw new ArgumentException($"the ROI's bounding box ({bx}×{by}×{bz}) is too large for texture analysis", nameof(roi));
        int nx = bx + 2 * px, ny = by + 2 * py, nz = bz + 2 * pz;
        int PaddedIndex(int gridIndex)
        {
            var (i, j, k) = Ijk(grid, gridIndex);
            return i - x0 + px + nx * (j - y0 + py + ny * (k - z0 + pz));
        }

        var paddedMorph = new Run[morphRuns.Count + levelRuns.Count];
        int morphCount = 0;
        foreach (var run in morphRuns) paddedMorph[morphCount++] = run with { Start = PaddedIndex(run.Start) };
        var padded = new ushort[paddedCount + LevelSlack];
        var roiVoxels = new int[roiCount];
        var sliceStart = new int[nz + 1];
        var present = new bool[roi.LevelCount + 1];
        int count = 0, slice = 0;
        foreach (var run in levelRuns)
        {
            int v = PaddedIndex(run.Start);
            while (slice < v / (nx * ny)) sliceStart[++slice] = count;
            // The intensity mask is the re-segmented morphological mask, so its voxels always count as inside.
            paddedMorph[morphCount++] = run with { Start = v };
            for (int source = run.Start; source < run.Start + run.Length; source++, v++)
            {
                int level = levels[source];
                if ((uint)level > (uint)roi.LevelCount)
                {
                    var (i, j, k) = Ijk(grid, source);
                    throw new ArgumentException($"grey level {level} at voxel ({i}, {j}, {k}) is outside 0…{roi.LevelCount}", nameof(roi));
                }
                padded[v] = (ushort)level;
                present[level] = true;
                roiVoxels[count++] = v;
            }
        }
        while (slice < nz) sliceStart[++slice] = count;

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
        if (greyLevel[^1] != greyLevel.Count - 1) // some level below the highest is absent: renumber
            foreach (int v in roiVoxels) padded[v] = compact[padded[v]];
        return new TextureVolume(nx, ny, nz, padded, paddedMorph, greyLevel.ToArray(), roi.LevelCount,
            roiVoxels, sliceStart, (bx, by, bz));
    }
    private static byte[] MaskOfRuns(Run[] runs, int length)
    {
        var mask = new byte[length];
        foreach (var run in runs) mask.AsSpan(run.Start, run.Length).Fill(1);
        return mask;
    }

    private static (int I, int J, int K) Ijk(Grid grid, int index) => (index % grid.Nx, index / grid.Nx % grid.Ny, index / grid.Nx / grid.Ny);

    /// <summary>A run of consecutive non-zero values within one grid row, by grid index.</summary>
    internal readonly record struct Run(int Start, int Length);

    /// <summary>
    /// The runs of non-zero <paramref name="values"/> within rows of <paramref name="rowLength"/>, in grid order. One bit
    /// per value from vectorised comparisons, then the runs from the bit transitions: a pass over the grid costs a few
    /// operations per 32 values, so that the sparse ROI can be visited run by run.
    /// </summary>
    internal static List<Run> NonZeroRuns<T>(T[] values, int rowLength) where T : unmanaged, INumberBase<T>
    {
        int n = values.Length;
        var nonZero = new ulong[(n + 63) / 64];
        int index = 0;
        if (Vector256.IsHardwareAccelerated)
            for (ref T first = ref MemoryMarshal.GetArrayDataReference(values); index <= n - 64; index += 64)
            {
                // 64 values per word, Vector256<T>.Count (8 ints or 32 bytes) at a time.
                ulong zero = 0;
                for (int bit = 0; bit < 64; bit += Vector256<T>.Count)
                    zero |= (ulong)Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)(index + bit)), Vector256<T>.Zero).ExtractMostSignificantBits() << bit;
                nonZero[index >> 6] = ~zero;
            }
        for (; index < n; index++)
            if (!T.IsZero(values[index])) nonZero[index >> 6] |= 1UL << (index & 63);

        var runs = new List<Run>();
        for (int start = NextBit(nonZero, 0, set: true, n); start < n;)
        {
            int end = NextBit(nonZero, start, set: false, n);
            for (int rowEnd = (start / rowLength + 1) * rowLength; rowEnd < end; rowEnd += rowLength)
            {
                runs.Add(new Run(start, rowEnd - start)); // a run reaching the end of its row stops there
                start = rowEnd;
            }
            runs.Add(new Run(start, end - start));
            start = NextBit(nonZero, end, set: true, n);
        }
        return runs;
    }

    /// <summary>The first position ≥ <paramref name="from"/> whose bit is <paramref name="set"/>, or <paramref name="n"/>.</summary>
    private static int NextBit(ulong[] bits, int from, bool set, int n)
    {
        if (from >= n) return n;
        int word = from >> 6;
        ulong pending = (set ? bits[word] : ~bits[word]) & (ulong.MaxValue << (from & 63));
        while (pending == 0)
        {
            if (++word == bits.Length) return n;
            pending = set ? bits[word] : ~bits[word];
        }
        return Math.Min(n, (word << 6) + BitOperations.TrailingZeroCount(pending));
    }
}
