using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Habitat;

/// <summary>A compartment surface (mm) with per-vertex principal curvatures κ1 ≥ κ2 (1/mm, convex = positive);
/// NaN where a vertex had too few neighbours for a fit.</summary>
public sealed record SurfaceCurvature(TriangleMesh Mesh, double[] K1, double[] K2);

/// <summary>
/// Principal curvatures of a compartment surface (after Ismail et al., AJNR 2018; see specs/habitat-shape.md): the
/// mask is smoothed by a Gaussian, meshed at its 0.5 level in mm (<see cref="MarchingCubes.IsoSurface"/>), and at each
/// vertex the curvatures are those of the smoothed field's level set through it: with gradient g and Hessian H of
/// the field (central differences, trilinearly interpolated to the vertex) and the outward normal n = −g/|g| (the
/// field is high inside), the shape operator is −P·H·P/|g| with P = I − nnᵀ (Goldman 2005, "Curvature formulas for
/// implicit curves and surfaces"); its two tangent eigenvalues are κ1 ≥ κ2, positive on a convex surface. The
/// Gaussian removes the voxel staircase; see <see cref="CurvatureSettings"/> for the error it leaves.
/// </summary>
public static class Curvature
{
    public static SurfaceCurvature Estimate(Grid grid, byte[] mask, CurvatureSettings settings)
    {
        var box = Box.Bounding(grid, mask);
        if (box.IsEmpty) return new SurfaceCurvature(MarchingCubes.Mesh(grid, mask), [], []);
        // Crop with room for the smoothing kernel, so the work scales with the compartment, not the image.
        int Margin(double spacing) => (int)Math.Ceiling(4 * settings.SmoothingSigmaMm / spacing) + 2;
        var crop = box.Grow(grid, Margin(grid.Spacing.X), Margin(grid.Spacing.Y), Margin(grid.Spacing.Z));
        var sub = new Grid(crop.Nx, crop.Ny, crop.Nz, grid.Spacing, grid.IndexToPhysical(crop.I0, crop.J0, crop.K0), grid.Direction);
        var field = new float[sub.Count];
        for (int k = crop.K0; k < crop.K1; k++)
            for (int j = crop.J0; j < crop.J1; j++)
                for (int i = crop.I0; i < crop.I1; i++)
                    field[crop.Index(i, j, k)] = mask[grid.Index(i, j, k)] != 0 ? 1 : 0;
        var smooth = GaussianSmoothing.Smooth(sub, field, settings.SmoothingSigmaMm);
        var mesh = MarchingCubes.IsoSurface(sub, smooth, 0.5f);
        var k1 = new double[mesh.VertexCount];
        var k2 = new double[mesh.VertexCount];
        Parallel.For(0, mesh.VertexCount, v => (k1[v], k2[v]) = AtPoint(sub, smooth, mesh.Vertex(v)));
        return new SurfaceCurvature(mesh, k1, k2);
    }

    /// <summary>κ1 ≥ κ2 of the level set of <paramref name="field"/> through physical point <paramref name="p"/>.</summary>
    private static (double, double) AtPoint(Grid grid, float[] field, Vec3 p)
    {
        var x = grid.PhysicalToIndex(p);
        int i0 = (int)Math.Floor(x.X), j0 = (int)Math.Floor(x.Y), k0 = (int)Math.Floor(x.Z);
        double fx = x.X - i0, fy = x.Y - j0, fz = x.Z - k0;
        Span<double> g = stackalloc double[3];
        Span<double> h = stackalloc double[9];
        Span<double> cornerG = stackalloc double[3];
        Span<double> cornerH = stackalloc double[9];
        for (int c = 0; c < 8; c++)
        {
            int di = c & 1, dj = (c >> 1) & 1, dk = (c >> 2) & 1;
            double w = (di == 1 ? fx : 1 - fx) * (dj == 1 ? fy : 1 - fy) * (dk == 1 ? fz : 1 - fz);
            if (w == 0) continue;
            Derivatives(grid, field, i0 + di, j0 + dj, k0 + dk, cornerG, cornerH);
            for (int a = 0; a < 3; a++) g[a] += w * cornerG[a];
            for (int a = 0; a < 9; a++) h[a] += w * cornerH[a];
        }
        // Index-axis derivatives → physical (direction columns are the index axes): g' = D·g, H' = D·H·Dᵀ.
        var d = grid.Direction;
        var gradient = d * new Vec3(g[0], g[1], g[2]);
        double length = gradient.Length;
        if (!(length > 0)) return (double.NaN, double.NaN);
        var normal = -gradient / length;
        var helper = Math.Abs(normal.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var t1 = normal.Cross(helper).Normalized();
        var t2 = normal.Cross(t1);
        // Tangent vectors in index-axis coordinates (Dᵀ t), then the 2×2 shape operator −tᵢᵀ H tⱼ / |g|.
        var a1 = d.Transpose() * t1;
        var a2 = d.Transpose() * t2;
        double s11 = -Quadratic(h, a1, a1) / length, s12 = -Quadratic(h, a1, a2) / length, s22 = -Quadratic(h, a2, a2) / length;
        double mean = (s11 + s22) / 2;
        double root = Math.Sqrt((s11 - s22) * (s11 - s22) / 4 + s12 * s12);
        return (mean + root, mean - root);
    }

    private static double Quadratic(ReadOnlySpan<double> h, Vec3 a, Vec3 b)
    {
        double sum = 0;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) sum += a[r] * h[3 * r + c] * b[c];
        return sum;
    }

    /// <summary>Gradient and Hessian (per mm along the index axes) at voxel (i, j, k) by central differences,
    /// the border voxel repeated outside the grid.</summary>
    private static void Derivatives(Grid grid, float[] f, int i, int j, int k, Span<double> g, Span<double> h)
    {
        i = Math.Clamp(i, 0, grid.Nx - 1); j = Math.Clamp(j, 0, grid.Ny - 1); k = Math.Clamp(k, 0, grid.Nz - 1);
        Span<double> step = [grid.Spacing.X, grid.Spacing.Y, grid.Spacing.Z];
        double At(int di, int dj, int dk) => f[grid.Index(Math.Clamp(i + di, 0, grid.Nx - 1), Math.Clamp(j + dj, 0, grid.Ny - 1), Math.Clamp(k + dk, 0, grid.Nz - 1))];
        double centre = At(0, 0, 0);
        for (int a = 0; a < 3; a++)
        {
            int ea0 = a == 0 ? 1 : 0, ea1 = a == 1 ? 1 : 0, ea2 = a == 2 ? 1 : 0;
            double plus = At(ea0, ea1, ea2), minus = At(-ea0, -ea1, -ea2);
            g[a] = (plus - minus) / (2 * step[a]);
            h[4 * a] = (plus - 2 * centre + minus) / (step[a] * step[a]);
            for (int b = a + 1; b < 3; b++)
            {
                int eb0 = b == 0 ? 1 : 0, eb1 = b == 1 ? 1 : 0, eb2 = b == 2 ? 1 : 0;
                double mixed = (At(ea0 + eb0, ea1 + eb1, ea2 + eb2) - At(ea0 - eb0, ea1 - eb1, ea2 - eb2)
                              - At(-ea0 + eb0, -ea1 + eb1, -ea2 + eb2) + At(-ea0 - eb0, -ea1 - eb1, -ea2 - eb2)) / (4 * step[a] * step[b]);
                h[3 * a + b] = mixed;
                h[3 * b + a] = mixed;
            }
        }
    }
}
