using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' 3-D shape features of the ROI mask. Mesh volume, area and the diameters come from PyRadiomics' own
/// marching-cubes surface (<see cref="PyMesh"/>); differences from IBSI morphology: that mesh's classic table, the
/// maximum 2-D diameters per plane (Slice: vertices sharing a z index, Column: sharing a y index, Row: sharing an x
/// index), and principal axes from the population covariance (1/N) of the voxel centres.
/// </summary>
internal static class PyShape
{
    public static void Compute(Grid grid, byte[] mask, Action<string, double> add)
    {
        var mesh = PyMesh.Of(grid, mask);
        double volume = mesh.Volume, area = mesh.Area;
        var centres = Morphology.VoxelCentres(grid, mask);
        var (major, minor, least, _) = Morphology.PrincipalComponents(centres, sample: false);
        var half = 0.5 * grid.Spacing; // lattice units are half voxels

        add("MeshVolume", volume);
        add("VoxelVolume", centres.Count * grid.VoxelVolume);
        add("SurfaceArea", area);
        add("SurfaceVolumeRatio", area / volume);
        add("Sphericity", Math.Cbrt(36 * Math.PI * volume * volume) / area);     // (36π V²)^⅓ / A
        add("Maximum3DDiameter", MaximumDiameter(mesh.Vertices, half));
        add("Maximum2DDiameterSlice", MaximumPlanarDiameter(mesh.Vertices, axis: 2, half));
        add("Maximum2DDiameterColumn", MaximumPlanarDiameter(mesh.Vertices, axis: 1, half));
        add("Maximum2DDiameterRow", MaximumPlanarDiameter(mesh.Vertices, axis: 0, half));
        add("MajorAxisLength", 4 * Math.Sqrt(major));                             // 4 √λ_major
        add("MinorAxisLength", 4 * Math.Sqrt(minor));
        add("LeastAxisLength", 4 * Math.Sqrt(least));
        add("Elongation", Math.Sqrt(minor / major));
        add("Flatness", Math.Sqrt(least / major));
    }

    /// <summary>Largest distance between two vertices: attained at vertices of their convex hull.</summary>
    private static double MaximumDiameter(int[] lattice, Vec3 unit)
    {
        if (lattice.Length == 0) return 0;
        var hull = ConvexHull.Of(lattice).Vertices;
        double best = 0;
        for (int i = 0; i < hull.Length; i++)
            for (int j = i + 1; j < hull.Length; j++)
                best = Math.Max(best, SquaredDistance(lattice, hull[i], hull[j], unit));
        return Math.Sqrt(best);
    }

    /// <summary>
    /// Largest distance between two vertices that share their lattice coordinate along <paramref name="axis"/>. The
    /// vertices are sorted by (plane, u, v) once; in each plane only the vertices of the 2-D convex hull (Andrew's
    /// monotone chain on the sorted points) can be the ends of the largest distance.
    /// </summary>
    private static double MaximumPlanarDiameter(int[] lattice, int axis, Vec3 unit)
    {
        int n = lattice.Length / 3, u = axis == 0 ? 1 : 0, v = axis == 2 ? 1 : 2;
        // Lattice coordinates are non-negative and below 2^17 (ConvexHull's limit): three fit one 64-bit sort key.
        var keys = new long[n];
        for (int p = 0; p < n; p++)
            keys[p] = ((long)lattice[3 * p + axis] << 42) | ((long)lattice[3 * p + u] << 21) | (long)lattice[3 * p + v];
        var order = new int[n];
        for (int p = 0; p < n; p++) order[p] = p;
        Array.Sort(keys, order);
        var chain = new int[2 * n + 1];
        double best = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            int plane = lattice[3 * order[start] + axis];
            while (end < n && lattice[3 * order[end] + axis] == plane) end++;
            int h = ConvexHull2D(lattice, order.AsSpan(start, end - start), u, v, chain);
            for (int i = 0; i < h; i++)
                for (int j = i + 1; j < h; j++)
                    best = Math.Max(best, SquaredDistance(lattice, chain[i], chain[j], unit));
            start = end;
        }
        return Math.Sqrt(best);
    }

    /// <summary>Andrew's monotone chain over points sorted by (u, v): writes the hull's vertex numbers to
    /// <paramref name="hull"/> and returns their count (collinear points dropped).</summary>
    private static int ConvexHull2D(int[] lattice, ReadOnlySpan<int> sorted, int u, int v, int[] hull)
    {
        if (sorted.Length < 3) { sorted.CopyTo(hull); return sorted.Length; }
        int h = 0;
        foreach (int p in sorted) // lower chain
        {
            while (h >= 2 && Turn(lattice, hull[h - 2], hull[h - 1], p, u, v) <= 0) h--;
            hull[h++] = p;
        }
        int lower = h + 1;
        for (int s = sorted.Length - 2; s >= 0; s--) // upper chain, back to the first point
        {
            int p = sorted[s];
            while (h >= lower && Turn(lattice, hull[h - 2], hull[h - 1], p, u, v) <= 0) h--;
            hull[h++] = p;
        }
        return h - 1; // the first point closes the chain
    }

    private static long Turn(int[] p, int a, int b, int c, int u, int v) =>
        (long)(p[3 * b + u] - p[3 * a + u]) * (p[3 * c + v] - p[3 * a + v]) - (long)(p[3 * b + v] - p[3 * a + v]) * (p[3 * c + u] - p[3 * a + u]);

    private static double SquaredDistance(int[] p, int a, int b, Vec3 unit)
    {
        double dx = (p[3 * a] - p[3 * b]) * unit.X, dy = (p[3 * a + 1] - p[3 * b + 1]) * unit.Y, dz = (p[3 * a + 2] - p[3 * b + 2]) * unit.Z;
        return dx * dx + dy * dy + dz * dz;
    }
}
