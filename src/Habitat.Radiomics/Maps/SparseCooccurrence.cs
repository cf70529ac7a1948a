namespace Habitat.Radiomics.Maps;

/// <summary>
/// A symmetric co-occurrence matrix over levels 0…L−1 that a sliding window updates pair by pair.
/// Only the upper triangle is stored (cell (a, b) with a ≤ b counts the unordered pairs {a, b}); the
/// symmetric matrix it stands for is P[a,b] = P[b,a] = count for a ≠ b and P[a,a] = 2·count, so its total is
/// 2·<see cref="PairCount"/>. The occupied cells are kept in a list (a window has at most a few hundred pairs
/// against L² cells), so statistics cost O(occupied cells), not O(L²). One instance per worker thread.
/// </summary>
public sealed class SparseCooccurrence
{
    private readonly int[] _count;     // unordered-pair count of upper-triangle cell a·L + b
    private readonly int[] _slot;      // position of the cell in _occupied, −1 when empty
    private readonly int[] _occupied;  // occupied cell indices, unordered
    private readonly int[] _marginal;  // row sums of the symmetric matrix P

    public int LevelCount { get; }
    /// <summary>Number of unordered pairs counted.</summary>
    public int PairCount { get; private set; }
    public int OccupiedCount { get; private set; }

    public SparseCooccurrence(int levelCount)
    {
        if (levelCount < 1 || levelCount > 4096)
            throw new ArgumentOutOfRangeException(nameof(levelCount), $"level count must be 1…4096, got {levelCount}");
        LevelCount = levelCount;
        _count = new int[levelCount * levelCount];
        _slot = new int[levelCount * levelCount];
        _occupied = new int[levelCount * levelCount];
        _marginal = new int[levelCount];
        Array.Fill(_slot, -1);
    }

    /// <summary>Upper-triangle cell index (row ≤ column) of occupied entry <paramref name="n"/>.</summary>
    public int OccupiedCell(int n) => _occupied[n];
    public int CellCount(int cell) => _count[cell];
    /// <summary>Row sum of the symmetric matrix at <paramref name="level"/> (each pair adds one to both its levels' rows).</summary>
    public int Marginal(int level) => _marginal[level];

    public void Add(int a, int b)
    {
        int cell = a <= b ? a * LevelCount + b : b * LevelCount + a;
        if (_count[cell]++ == 0)
        {
            _slot[cell] = OccupiedCount;
            _occupied[OccupiedCount++] = cell;
        }
        _marginal[a]++;
        _marginal[b]++;
        PairCount++;
    }

    public void Remove(int a, int b)
    {
        int cell = a <= b ? a * LevelCount + b : b * LevelCount + a;
        if (--_count[cell] == 0)
        {
            int slot = _slot[cell], last = _occupied[--OccupiedCount];
            _occupied[slot] = last;
            _slot[last] = slot;
            _slot[cell] = -1;
        }
        _marginal[a]--;
        _marginal[b]--;
        PairCount--;
    }

    public void Clear()
    {
        for (int n = 0; n < OccupiedCount; n++)
        {
            int cell = _occupied[n];
            _count[cell] = 0;
            _slot[cell] = -1;
        }
        OccupiedCount = 0;
        PairCount = 0;
        Array.Clear(_marginal);
    }
}
