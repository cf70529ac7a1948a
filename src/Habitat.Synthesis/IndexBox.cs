using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>An inclusive range of voxel indices of a grid: where a local structure (lesion, cavity) can be non-zero.</summary>
internal readonly record struct IndexBox(int I0, int J0, int K0, int I1, int J1, int K1)
{
    public int Nx => I1 - I0 + 1;
    public int Ny => J1 - J0 + 1;
    public int Nz => K1 - K0 + 1;
    public int Count => IsEmpty ? 0 : Nx * Ny * Nz;
    public bool IsEmpty => I1 < I0 || J1 < J0 || K1 < K0;

    public bool Contains(int i, int j, int k) => i >= I0 && i <= I1 && j >= J0 && j <= J1 && k >= K0 && k <= K1;

    /// <summary>Position of voxel (i, j, k) in a dense array over the box.</summary>
    public int Offset(int i, int j, int k) => i - I0 + Nx * (j - J0 + Ny * (k - K0));

    /// <summary>The voxels of an axis-aligned grid whose centres lie within <paramref name="halfSize"/> mm of <paramref name="centre"/>.</summary>
    public static IndexBox Around(Grid grid, Vec3 centre, double halfSize)
    {
        var lo = grid.PhysicalToIndex(centre - new Vec3(halfSize, halfSize, halfSize));
        var hi = grid.PhysicalToIndex(centre + new Vec3(halfSize, halfSize, halfSize));
        return new IndexBox(
            Math.Max(0, (int)Math.Floor(lo.X)), Math.Max(0, (int)Math.Floor(lo.Y)), Math.Max(0, (int)Math.Floor(lo.Z)),
            Math.Min(grid.Nx - 1, (int)Math.Ceiling(hi.X)), Math.Min(grid.Ny - 1, (int)Math.Ceiling(hi.Y)), Math.Min(grid.Nz - 1, (int)Math.Ceiling(hi.Z)));
    }
}
