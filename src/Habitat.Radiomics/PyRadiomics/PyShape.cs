using Habitat.Imaging;
using Habitat.Imaging.Processing;

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
        var (count, major, minor, least) = PrincipalVariances(grid, mask);
        var half = 0.5 * grid.Spacing; // lattice units are half voxels

        add("MeshVolume", volume);
        add("VoxelVolume", count * grid.VoxelVolume);
        add("SurfaceArea", area);
        add("SurfaceVolumeRatio", area / volume);
        add("Sphericity", Math.Cbrt(36 * Math.PI * volume * volume) / area);     // (36π V²)^⅓ / A
        // Planar diameters from each plane's 2-D hull; the two ends of the 3-D diameter are among the slice hulls' vertices
        // (the point farthest from any point of a plane's set is a vertex of that set's hull), so the 3-D hull is built on those.
        var sliceHullVertices = new List<int>();
        double slice = MaximumPlanarDiameter(mesh.Vertices, axis: 2, half, sliceHullVertices);
        add("Maximum3DDiameter", MaximumDiameter([.. sliceHullVertices], half));
        add("Maximum2DDiameterSlice", slice);
        add("Maximum2DDiameterColumn", MaximumPlanarDiameter(mesh.Vertices, axis: 1, half, hullVertices: null));
        add("Maximum2DDiameterRow", MaximumPlanarDiameter(mesh.Vertices, axis: 0, half, hullVertices: null));
        add("MajorAxisLength", 4 * Math.Sqrt(major));                             // 4 √λ_major
        add("MinorAxisLength", 4 * Math.Sqrt(minor));
        add("LeastAxisLength", 4 * Math.Sqrt(least));
        add("Elongation", Math.Sqrt(minor / major));
        add("Flatness", Math.Sqrt(least / major));
    }

    /// <summary>
    /// Voxel count and eigenvalues λ_major ≥ λ_minor ≥ λ_least of the population covariance (1/N) of the voxel centres,
    /// in index units times the spacing (the direction matrix, a rotation, leaves the eigenvalues alone). One pass sums the
    /// index moments exactly in integers; the covariance is then Σ(a·b)/N − mean(a)·mean(b).
    /// </summary>
    private static (long Count, double Major, double Minor, double Least) PrincipalVariances(Grid grid, byte[] mask)
    {
        long n = 0, si = 0, sj = 0, sk = 0, sii = 0, sjj = 0, skk = 0, sij = 0, sik = 0, sjk = 0;
        for (int k = 0, index = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++, index += grid.Nx)
            {
                var row = mask.AsSpan(index, grid.Nx);
                for (int i = row.IndexOfAnyExcept((byte)0); i >= 0 && i < row.Length; i++)
                {
                    if (row[i] == 0) continue;
                    n++; si += i; sj += j; sk += k;
                    sii += i * i; sjj += j * j; skk += k * k; sij += i * j; sik += i * k; sjk += j * k;
                }
            }
        if (n == 0) return (0, 0, 0, 0);
        var s = grid.Spacing;
        double Covariance(long sab, long sa, long sb, double ua, double ub) => (sab - (double)sa * sb / n) / n * ua * ub;
        Span<double> c =
        [
            Covariance(sii, si, si, s.X, s.X), Covariance(sij, si, sj, s.X, s.Y), Covariance(sik, si, sk, s.X, s.Z),
            Covariance(sij, si, sj, s.X, s.Y), Covariance(sjj, sj, sj, s.Y, s.Y), Covariance(sjk, sj, sk, s.Y, s.Z),
            Covariance(sik, si, sk, s.X, s.Z), Covariance(sjk, sj, sk, s.Y, s.Z), Covariance(skk, sk, sk, s.Z, s.Z),
        ];
        Span<double> vectors = stackalloc double[9];
        Geometry.SymmetricEigenInPlace(c, vectors);
        double a = Math.Max(c[0], 0), b = Math.Max(c[4], 0), d = Math.Max(c[8], 0);
        if (a < b) (a, b) = (b, a);
        if (b < d) (b, d) = (d, b);
        if (a < b) (a, b) = (b, a);
        return (n, a, b, d);
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
    /// Largest distance between two vertices that share their lattice coordinate along <paramref name="axis"/>, from each
    /// plane's 2-D hull (<see cref="PlanarHull"/>); the hull vertices are appended to <paramref name="hullVertices"/>.
    /// </summary>
    private static double MaximumPlanarDiameter(int[] lattice, int axis, Vec3 unit, List<int>? hullVertices)
    {
        int u = axis == 0 ? 1 : 0, v = axis == 2 ? 1 : 2;
        int planes = 0, rows = 0;
        for (int p = 0; p < lattice.Length; p += 3)
        {
            planes = Math.Max(planes, lattice[p + axis] + 1);
            rows = Math.Max(rows, lattice[p + u] + 1);
        }
        var lowest = new int[planes * rows];
        var highest = new int[planes * rows];
        Array.Fill(lowest, int.MaxValue);
        Array.Fill(highest, -1);
        for (int p = 0; p < lattice.Length; p += 3)
        {
            int plane = lattice[p + axis] * rows;
            PlanarHull.Add(lowest.AsSpan(plane, rows), highest.AsSpan(plane, rows), lattice[p + u], lattice[p + v]);
        }
        var candidates = new (int U, int V)[2 * rows];
        var hull = new (int U, int V)[2 * rows + 1];
        double best = 0;
        Span<int> point = stackalloc int[3];
        for (int plane = 0; plane < planes; plane++)
        {
            int h = PlanarHull.Of(lowest.AsSpan(plane * rows, rows), highest.AsSpan(plane * rows, rows), candidates, hull);
            best = Math.Max(best, PlanarHull.SquaredDiameter(hull.AsSpan(0, h), unit[u], unit[v]));
            if (hullVertices is null) continue;
            for (int i = 0; i < h; i++)
            {
                point[axis] = plane; point[u] = hull[i].U; point[v] = hull[i].V;
                hullVertices.AddRange(point);
            }
        }
        return Math.Sqrt(best);
    }

    private static double SquaredDistance(int[] p, int a, int b, Vec3 unit)
    {
        double dx = (p[3 * a] - p[3 * b]) * unit.X, dy = (p[3 * a + 1] - p[3 * b + 1]) * unit.Y, dz = (p[3 * a + 2] - p[3 * b + 2]) * unit.Z;
        return dx * dx + dy * dy + dz * dz;
    }
}
