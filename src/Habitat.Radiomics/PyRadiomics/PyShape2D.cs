using Habitat.Imaging;
using Habitat.Radiomics.Features;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' 2-D shape features of a ROI lying in one slice (<c>force2D</c>; the slice plane follows
/// <c>force2Ddimension</c>). The contour is traced by marching squares on the pixel centres with vertices on the
/// cell-edge midpoints; a cell whose two inside corners lie on a diagonal is taken as one joined region. MeshSurface is
/// the area inside the contour, Perimeter its length, Sphericity 2√(πA)/P, MaximumDiameter the largest distance
/// between contour vertices, axis lengths 4√λ of the pixel centres' covariance (1/N).
/// </summary>
internal static class PyShape2D
{
    public static void Compute(Grid grid, byte[] mask, int force2DDimension, Action<string, double> add)
    {
        // Plane axes (u, v) and the axis across the slice, as PyRadiomics numbers them (0: axial = z fixed).
        var (u, v, across) = force2DDimension switch { 0 => (0, 1, 2), 1 => (0, 2, 1), _ => (1, 2, 0) };
        int[] size = [grid.Nx, grid.Ny, grid.Nz];
        double[] spacing = [grid.Spacing.X, grid.Spacing.Y, grid.Spacing.Z];
        int slice = -1, count = 0;
        var centres = new List<Vec3>();
        Span<int> index = stackalloc int[3];
        for (int k = 0, n = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++, n++)
                {
                    if (mask[n] == 0) continue;
                    index[0] = i; index[1] = j; index[2] = k;
                    if (slice >= 0 && index[across] != slice)
                        throw new InvalidOperationException("shape2D needs a ROI within one slice (force2D plane); this ROI spans several");
                    slice = index[across];
                    count++;
                    centres.Add(new Vec3(index[u] * spacing[u], index[v] * spacing[v], 0));
                }

        int nu = size[u] + 2, nv = size[v] + 2; // padded by one background pixel on each side
        var inside = new bool[nu * nv];
        foreach (var c in centres) inside[(int)Math.Round(c.X / spacing[u]) + 1 + nu * ((int)Math.Round(c.Y / spacing[v]) + 1)] = true;
        double su = spacing[u], sv = spacing[v];
        double area = 0, perimeter = 0;
        // Contour vertices (twice the padded pixel index) as the lowest and highest v of each u, for the diameter.
        var lowest = new int[2 * nu];
        var highest = new int[2 * nu];
        Array.Fill(lowest, int.MaxValue);
        Array.Fill(highest, -1);
        double corner = Math.Sqrt(su * su + sv * sv) / 2;
        for (int b = 0; b < nv - 1; b++)
            for (int a = 0; a < nu - 1; a++)
            {
                bool c0 = inside[a + nu * b], c1 = inside[a + 1 + nu * b], c2 = inside[a + 1 + nu * (b + 1)], c3 = inside[a + nu * (b + 1)];
                int config = (c0 ? 1 : 0) | (c1 ? 2 : 0) | (c2 ? 4 : 0) | (c3 ? 8 : 0);
                if (config is 0 or 15)
                {
                    if (config == 15) area += su * sv;
                    continue;
                }
                // Edge midpoints in doubled pixel units: bottom, right, top, left.
                if (c0 != c1) PlanarHull.Add(lowest, highest, 2 * a + 1, 2 * b);
                if (c1 != c2) PlanarHull.Add(lowest, highest, 2 * a + 2, 2 * b + 1);
                if (c2 != c3) PlanarHull.Add(lowest, highest, 2 * a + 1, 2 * b + 2);
                if (c3 != c0) PlanarHull.Add(lowest, highest, 2 * a, 2 * b + 1);
                switch (System.Numerics.BitOperations.PopCount((uint)config))
                {
                    case 1: area += su * sv / 8; perimeter += corner; break;
                    case 3: area += su * sv * 7 / 8; perimeter += corner; break;
                    default:
                        if (config is 5 or 10) { area += su * sv * 3 / 4; perimeter += 2 * corner; } // diagonal: joined
                        else { area += su * sv / 2; perimeter += config is 3 or 12 ? su : sv; }
                        break;
                }
            }

        var hull = new (int U, int V)[4 * nu + 1];
        int h = PlanarHull.Of(lowest, highest, new (int U, int V)[4 * nu], hull);
        double diameter = PlanarHull.SquaredDiameter(hull.AsSpan(0, h), su / 2, sv / 2);
        var (major, minor, _, _) = Morphology.PrincipalComponents(centres, sample: false);

        add("MeshSurface", area);
        add("PixelSurface", count * su * sv);
        add("Perimeter", perimeter);
        add("PerimeterSurfaceRatio", perimeter / area);
        add("Sphericity", 2 * Math.Sqrt(Math.PI * area) / perimeter);   // perimeter of the circle of area A over P
        add("MaximumDiameter", Math.Sqrt(diameter));
        add("MajorAxisLength", 4 * Math.Sqrt(major));
        add("MinorAxisLength", 4 * Math.Sqrt(minor));
        add("Elongation", Math.Sqrt(minor / major));
    }
}
