namespace Habitat.Imaging.Processing;

/// <summary>An index box of a grid, lower corner inclusive, upper corner exclusive.</summary>
public readonly record struct Box(int I0, int J0, int K0, int I1, int J1, int K1)
{
    public int Nx => I1 - I0;
    public int Ny => J1 - J0;
    public int Nz => K1 - K0;
    public bool IsEmpty => Nx <= 0 || Ny <= 0 || Nz <= 0;
    public int Count => Nx * Ny * Nz;

    /// <summary>Position of grid voxel (i, j, k) in an array laid out on the box (i fastest).</summary>
    public int Index(int i, int j, int k) => i - I0 + Nx * (j - J0 + Ny * (k - K0));

    public bool Contains(int i, int j, int k) => i >= I0 && i < I1 && j >= J0 && j < J1 && k >= K0 && k < K1;

    /// <summary>Smallest box holding every non-zero voxel of <paramref name="mask"/>; empty when there is none.</summary>
    public static Box Bounding(Grid grid, ReadOnlySpan<byte> mask)
    {
        int i0 = int.MaxValue, j0 = int.MaxValue, k0 = int.MaxValue, i1 = -1, j1 = -1, k1 = -1;
        int nx = grid.Nx;
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
            {
                // Rows are scanned with vectorised searches: most rows of a mask are empty.
                var row = mask.Slice((j + grid.Ny * k) * nx, nx);
                int first = row.IndexOfAnyExcept((byte)0);
                if (first < 0) continue;
                int last = row.LastIndexOfAnyExcept((byte)0);
                i0 = Math.Min(i0, first); i1 = Math.Max(i1, last);
                j0 = Math.Min(j0, j); j1 = Math.Max(j1, j);
                k0 = Math.Min(k0, k); k1 = Math.Max(k1, k);
            }
        return i1 < 0 ? default : new Box(i0, j0, k0, i1 + 1, j1 + 1, k1 + 1);
    }

    /// <summary>This box grown by the given margins on each side, clipped to the grid.</summary>
    public Box Grow(Grid grid, int mx, int my, int mz) => new(
        Math.Max(0, I0 - mx), Math.Max(0, J0 - my), Math.Max(0, K0 - mz),
        Math.Min(grid.Nx, I1 + mx), Math.Min(grid.Ny, J1 + my), Math.Min(grid.Nz, K1 + mz));

    /// <summary>The grid of the box's voxels (same spacing and direction, origin at the box's lower corner).</summary>
    public Grid SubGrid(Grid grid) => new(Nx, Ny, Nz, grid.Spacing, grid.IndexToPhysical(I0, J0, K0), grid.Direction);

    /// <summary>Copies the box's voxels out of an array laid out on <paramref name="grid"/>.</summary>
    public T[] Extract<T>(Grid grid, T[] data)
    {
        var result = new T[(long)Nx * Ny * Nz];
        Extract(grid, data, result);
        return result;
    }

    /// <summary>Copies the box's voxels out of an array laid out on <paramref name="grid"/> into the front of
    /// <paramref name="destination"/> (x fastest).</summary>
    public void Extract<T>(Grid grid, T[] data, Span<T> destination)
    {
        for (int k = 0; k < Nz; k++)
            for (int j = 0; j < Ny; j++)
                data.AsSpan(grid.Index(I0, J0 + j, K0 + k), Nx).CopyTo(destination.Slice(Nx * (j + Ny * k), Nx));
    }
}
