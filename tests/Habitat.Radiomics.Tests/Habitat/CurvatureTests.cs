using Habitat.Imaging;
using Habitat.Radiomics.Habitat;
using Xunit.Abstractions;

namespace Habitat.Radiomics.Tests.Habitat;

/// <summary>Curvature of voxelised analytic surfaces against their exact principal curvatures (specs/habitat-shape.md).</summary>
public class CurvatureTests(ITestOutputHelper output)
{
    // Centres off the voxel lattice, so the voxelisation is not symmetric by accident.
    private static readonly Vec3 Offset = new(0.31, 0.17, 0.23);

    /// <summary>A mask of the voxel centres with implicit(x) ≤ 0, x in mm relative to the grid centre (+ offset).</summary>
    private static (Grid Grid, byte[] Mask) Voxelise(double extentMm, double voxelMm, Func<Vec3, double> implicitSurface) =>
        Voxelise(extentMm, new Vec3(voxelMm, voxelMm, voxelMm), implicitSurface);

    private static (Grid Grid, byte[] Mask) Voxelise(double extentMm, Vec3 spacing, Func<Vec3, double> implicitSurface)
    {
        int nx = (int)Math.Ceiling(extentMm / spacing.X), ny = (int)Math.Ceiling(extentMm / spacing.Y), nz = (int)Math.Ceiling(extentMm / spacing.Z);
        var grid = Grid.Create(nx, ny, nz, spacing);
        var centre = CentreOf(grid);
        var mask = new byte[grid.Count];
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                    if (implicitSurface(grid.IndexToPhysical(i, j, k) - centre) <= 0) mask[grid.Index(i, j, k)] = 1;
        return (grid, mask);
    }

    private static Vec3 CentreOf(Grid grid) => grid.IndexToPhysical((grid.Nx - 1) / 2.0, (grid.Ny - 1) / 2.0, (grid.Nz - 1) / 2.0) + Offset;

    /// <summary>Mean over vertices of |κ − κ_true| / κ_true for κ1 and κ2 of a sphere (a vertex without an estimate counts as 100 %).</summary>
    private static double SphereError(double radius, double voxel, out SurfaceCurvature surface) =>
        SphereError(radius, new Vec3(voxel, voxel, voxel), out surface);

    private static double SphereError(double radius, Vec3 spacing, out SurfaceCurvature surface)
    {
        var (grid, mask) = Voxelise(2 * radius + 12, spacing, p => p.Length - radius);
        surface = Curvature.Estimate(grid, mask, CurvatureSettings.Default);
        double truth = 1 / radius, sum = 0;
        int missing = 0;
        for (int v = 0; v < surface.K1.Length; v++)
        {
            if (!double.IsFinite(surface.K1[v])) { missing++; sum += 2 * truth; continue; }
            sum += Math.Abs(surface.K1[v] - truth) + Math.Abs(surface.K2[v] - truth);
        }
        Assert.Equal(0, missing);
        return sum / (2 * surface.K1.Length) / truth;
    }

    [Theory]
    [InlineData(5, 0.05, 0.012)]
    [InlineData(10, 0.045, 0.017)]
    [InlineData(20, 0.08, 0.04)]
    [InlineData(30, 0.12, 0.055)]
    public void Sphere_curvatures_approach_one_over_r_and_the_error_shrinks_with_the_voxel(double radius, double coarseBound, double fineBound)
    {
        double coarse = SphereError(radius, 1.0, out var coarseSurface);
        double fine = SphereError(radius, 0.5, out var fineSurface);
        output.WriteLine($"sphere r = {radius} mm: mean relative |κ − 1/r| = {coarse:P2} at 1 mm, {fine:P2} at 0.5 mm");
        // Bounds: the measured errors (docs/habitat.md) with a little room for the voxelisation offset.
        Assert.True(fine < coarse, $"0.5 mm error {fine:P2} is not below the 1 mm error {coarse:P2}");
        Assert.True(coarse < coarseBound, $"1 mm error {coarse:P2}");
        Assert.True(fine < fineBound, $"0.5 mm error {fine:P2}");
        AssertSphereFeatures(coarseSurface, radius, 1.0, tolerance: 0.1);
        AssertSphereFeatures(fineSurface, radius, 0.5, tolerance: 0.05);
    }

    /// <summary>The 16 curvature features of a sphere: SI = +1 (convex umbilic), sharpness (κ1 − κ2)² ≈ 0 relative
    /// to κ², curvedness C = 1/r and total curvature T = 2/r within <paramref name="tolerance"/> (relative).</summary>
    private void AssertSphereFeatures(SurfaceCurvature surface, double radius, double voxel, double tolerance)
    {
        var row = new FeatureRow();
        CurvatureFeatures.Compute(surface, "s", row);
        var values = row.Items.ToDictionary(i => i.Name, i => i.Value);
        double si = values["s.shape_index.mean"], sharpness = values["s.sharpness.mean"] * radius * radius;
        double curvedness = values["s.curvedness.mean"] * radius, total = values["s.total_curvature.mean"] * radius / 2;
        output.WriteLine($"  {voxel} mm: mean SI {si:F3}, mean sharpness·r² {sharpness:G3}, mean curvedness·r {curvedness:F3}, mean total curvature·r/2 {total:F3}");
        Assert.InRange(si, 1 - tolerance, 1.0);
        Assert.InRange(sharpness, 0, 4 * tolerance * tolerance); // |κ1 − κ2|·r within 2 × tolerance
        Assert.InRange(curvedness, 1 - tolerance, 1 + tolerance);
        Assert.InRange(total, 1 - tolerance, 1 + tolerance);
    }

    [Fact]
    public void Sphere_curvatures_from_thick_slices_approach_one_over_r()
    {
        // Clinical MRI is often anisotropic: 1 × 1 × 3 mm, and the same shape at half the voxel size.
        const double radius = 15;
        double coarse = SphereError(radius, new Vec3(1, 1, 3), out _);
        double fine = SphereError(radius, new Vec3(0.5, 0.5, 1.5), out _);
        output.WriteLine($"sphere r = {radius} mm: mean relative |κ − 1/r| = {coarse:P2} at 1×1×3 mm, {fine:P2} at 0.5×0.5×1.5 mm");
        Assert.True(fine < coarse, $"error {fine:P2} at 0.5×0.5×1.5 mm is not below {coarse:P2} at 1×1×3 mm");
        Assert.True(coarse < 0.15 && fine < 0.065, $"errors {coarse:P2}, {fine:P2}");
    }

    /// <summary>Mean relative errors on the outer (κ = +1/R) and inner (κ = −1/r: concave, seen from the shell) walls
    /// of a spherical shell, like an enhancing rim around a necrotic core.</summary>
    private (double Outer, double Inner) RimErrors(double voxel)
    {
        const double outer = 15, inner = 12;
        var (grid, mask) = Voxelise(2 * outer + 12, voxel, p => Math.Max(p.Length - outer, inner - p.Length));
        var surface = Curvature.Estimate(grid, mask, CurvatureSettings.Default);
        var centre = CentreOf(grid);
        double outerError = 0, innerError = 0;
        int outerCount = 0, innerCount = 0;
        for (int v = 0; v < surface.K1.Length; v++)
        {
            bool onOuter = (surface.Mesh.Vertex(v) - centre).Length > (outer + inner) / 2;
            double truth = onOuter ? 1 / outer : -1 / inner;
            double error = (Math.Abs(surface.K1[v] - truth) + Math.Abs(surface.K2[v] - truth)) / 2 / Math.Abs(truth);
            Assert.True(double.IsFinite(error), $"vertex {v} has no estimate");
            if (onOuter) { outerError += error; outerCount++; } else { innerError += error; innerCount++; }
        }
        outerError /= outerCount; innerError /= innerCount;
        output.WriteLine($"rim {inner}–{outer} mm at {voxel} mm: mean relative error {outerError:P2} on the outer wall, {innerError:P2} on the inner (concave) wall");
        return (outerError, innerError);
    }

    [Fact]
    public void Rim_walls_a_few_mm_apart_keep_their_own_curvature_and_sign()
    {
        // The walls are 3 mm apart, inside the 6 mm neighbourhood: only vertices whose normals face the same side count.
        var coarse = RimErrors(1.0);
        var fine = RimErrors(0.5);
        Assert.True(fine.Outer < coarse.Outer && fine.Inner < coarse.Inner, "errors shrink with the voxel");
        Assert.True(coarse.Outer < 0.06 && coarse.Inner < 0.06 && fine.Outer < 0.03 && fine.Inner < 0.025,
            $"rim errors {coarse.Outer:P2}/{coarse.Inner:P2} at 1 mm, {fine.Outer:P2}/{fine.Inner:P2} at 0.5 mm");
    }

    private const double A = 20, B = 14, C = 10; // ellipsoid semi-axes (mm)

    /// <summary>Exact κ1 ≥ κ2 of the ellipsoid at surface point p (centred): Gaussian curvature
    /// K = 1 / (a²b²c²·q²) and mean curvature H = |p·p − a² − b² − c²| / (2a²b²c²·q^{3/2}), q = x²/a⁴ + y²/b⁴ + z²/c⁴.</summary>
    private static (double K1, double K2) EllipsoidCurvatures(Vec3 p)
    {
        double q = p.X * p.X / Math.Pow(A, 4) + p.Y * p.Y / Math.Pow(B, 4) + p.Z * p.Z / Math.Pow(C, 4);
        double abc2 = A * A * B * B * C * C;
        double gaussian = 1 / (abc2 * q * q);
        double mean = Math.Abs(p.Dot(p) - A * A - B * B - C * C) / (2 * abc2 * Math.Pow(q, 1.5));
        double root = Math.Sqrt(Math.Max(0, mean * mean - gaussian));
        return (mean + root, mean - root);
    }

    /// <summary>Mean relative error of κ1, κ2 over all vertices (each compared with the exact values at its radial
    /// projection onto the ellipsoid), over the vertices within 1.5 voxels of the z = 0 equator, and the worst
    /// relative error of the vertex-mean κ1, κ2 near each pair of axis ends.</summary>
    private (double Surface, double Equator, double[] Poles) EllipsoidErrors(double voxel)
    {
        var (grid, mask) = Voxelise(2 * A + 12, voxel, p => Math.Sqrt(p.X * p.X / (A * A) + p.Y * p.Y / (B * B) + p.Z * p.Z / (C * C)) - 1);
        var surface = Curvature.Estimate(grid, mask, CurvatureSettings.Default);
        var centre = CentreOf(grid);
        double all = 0, equator = 0;
        int equatorCount = 0;
        for (int v = 0; v < surface.K1.Length; v++)
        {
            var p = surface.Mesh.Vertex(v) - centre;
            var onSurface = p / Math.Sqrt(p.X * p.X / (A * A) + p.Y * p.Y / (B * B) + p.Z * p.Z / (C * C));
            var (k1, k2) = EllipsoidCurvatures(onSurface);
            double error = (Math.Abs(surface.K1[v] - k1) / k1 + Math.Abs(surface.K2[v] - k2) / k2) / 2;
            Assert.True(double.IsFinite(error), $"vertex {v} has no estimate");
            all += error;
            if (Math.Abs(p.Z) < 1.5 * voxel) { equator += error; equatorCount++; }
        }
        // End of the a-axis: κ = a/c², a/b²; of the b-axis: b/c², b/a²; of the c-axis: c/b², c/a².
        (Vec3 Pole, double K1, double K2)[] poles =
        [
            (new Vec3(A, 0, 0), A / (C * C), A / (B * B)),
            (new Vec3(0, B, 0), B / (C * C), B / (A * A)),
            (new Vec3(0, 0, C), C / (B * B), C / (A * A)),
        ];
        var worst = new double[3];
        for (int q = 0; q < 3; q++)
            foreach (var sign in new[] { 1.0, -1.0 })
            {
                var (pole, k1, k2) = poles[q];
                var (e1, e2) = MeanNear(surface, centre + sign * pole, 1.5 * voxel);
                output.WriteLine($"voxel {voxel} mm, pole {sign * pole}: κ1 {e1:G4} (true {k1:G4}), κ2 {e2:G4} (true {k2:G4})");
                worst[q] = Math.Max(worst[q], Math.Max(Math.Abs(e1 - k1) / k1, Math.Abs(e2 - k2) / k2));
            }
        all /= surface.K1.Length;
        equator /= equatorCount;
        output.WriteLine($"ellipsoid {A}/{B}/{C} mm at {voxel} mm: mean relative error {all:P1} over the surface, {equator:P1} on the z = 0 equator; " +
                         $"worst at the a, b, c poles {worst[0]:P1}, {worst[1]:P1}, {worst[2]:P1}");
        return (all, equator, worst);
    }

    [Fact]
    public void Ellipsoid_curvatures_approach_the_analytic_values_over_the_surface_and_at_the_poles()
    {
        var coarse = EllipsoidErrors(1.0);
        var fine = EllipsoidErrors(0.5);
        Assert.True(fine.Surface < coarse.Surface, $"surface error {fine.Surface:P1} at 0.5 mm is not below {coarse.Surface:P1} at 1 mm");
        Assert.True(fine.Equator < coarse.Equator, $"equator error {fine.Equator:P1} at 0.5 mm is not below {coarse.Equator:P1} at 1 mm");
        for (int q = 0; q < 3; q++)
            Assert.True(fine.Poles[q] < coarse.Poles[q], $"pole {q} error {fine.Poles[q]:P1} at 0.5 mm is not below {coarse.Poles[q]:P1} at 1 mm");
        Assert.True(coarse.Surface < 0.09 && fine.Surface < 0.06, $"surface errors {coarse.Surface:P1}, {fine.Surface:P1}");
        Assert.True(fine.Equator < 0.08, $"equator error {fine.Equator:P1} at 0.5 mm");
        // The c-axis ends are the flattest points (radii of curvature 20 and 40 mm): their voxel terraces are the widest.
        Assert.True(fine.Poles.Max() < 0.19, $"worst pole error {fine.Poles.Max():P1} at 0.5 mm");
    }

    private (double K1Error, double K2Error, double ShapeIndex) CylinderErrors(double voxel)
    {
        const double radius = 10, halfLength = 20;
        var (grid, mask) = Voxelise(2 * halfLength + 12, voxel, p => Math.Max(Math.Sqrt(p.X * p.X + p.Y * p.Y) - radius, Math.Abs(p.Z) - halfLength));
        var surface = Curvature.Estimate(grid, mask, CurvatureSettings.Default);
        var centre = CentreOf(grid);
        double e1 = 0, e2 = 0, si = 0;
        int count = 0;
        for (int v = 0; v < surface.K1.Length; v++)
        {
            var p = surface.Mesh.Vertex(v) - centre;
            // Side wall further than the neighbourhood radius from the caps' rims.
            if (Math.Abs(p.Z) > halfLength - CurvatureSettings.Default.NeighbourhoodRadiusMm - 1 || Math.Sqrt(p.X * p.X + p.Y * p.Y) < radius - 2) continue;
            e1 += Math.Abs(surface.K1[v] - 1 / radius);
            e2 += Math.Abs(surface.K2[v]);
            si += CurvatureFeatures.ShapeIndex(surface.K1[v], surface.K2[v]);
            count++;
        }
        e1 = e1 / count * radius; e2 = e2 / count * radius; si /= count;
        output.WriteLine($"cylinder r = {radius} mm at {voxel} mm voxels: mean |κ1 − 1/r|·r = {e1:P2}, mean |κ2|·r = {e2:P2}, mean SI = {si:F3}");
        return (e1, e2, si);
    }

    [Fact]
    public void Cylinder_section_has_one_over_r_and_zero()
    {
        var coarse = CylinderErrors(1.0);
        var fine = CylinderErrors(0.5);
        Assert.True(fine.K1Error < coarse.K1Error, $"κ1 error {fine.K1Error:P2} at 0.5 mm is not below {coarse.K1Error:P2} at 1 mm");
        Assert.True(fine.K2Error < coarse.K2Error, $"κ2 error {fine.K2Error:P2} at 0.5 mm is not below {coarse.K2Error:P2} at 1 mm");
        Assert.True(coarse.K1Error < 0.12 && fine.K1Error < 0.055, $"κ1 errors {coarse.K1Error:P2}, {fine.K1Error:P2}");
        Assert.True(fine.K2Error < 0.01, $"κ2 error {fine.K2Error:P2}");
        Assert.InRange(fine.ShapeIndex, 0.48, 0.52); // SI = +0.5 on a cylinder
    }

    private static (double K1, double K2) MeanNear(SurfaceCurvature surface, Vec3 point, double radius)
    {
        double k1 = 0, k2 = 0;
        int count = 0;
        for (int v = 0; v < surface.K1.Length; v++)
            if ((surface.Mesh.Vertex(v) - point).Length <= radius && double.IsFinite(surface.K1[v]))
            {
                k1 += surface.K1[v]; k2 += surface.K2[v]; count++;
            }
        Assert.True(count > 0, $"no vertex near {point}");
        return (k1 / count, k2 / count);
    }

    [Fact]
    public void A_compartment_of_a_few_voxels_gives_missing_features_not_an_error()
    {
        var grid = Grid.Create(12, 12, 12, Vec3.One);
        var mask = new byte[grid.Count];
        mask[grid.Index(6, 6, 6)] = 1; // smooths below the 0.5 level: no surface
        var surface = Curvature.Estimate(grid, mask, CurvatureSettings.Default);
        Assert.Empty(surface.K1);
        var row = new FeatureRow();
        CurvatureFeatures.Compute(surface, "s", row);
        Assert.All(row.Items, i => Assert.Contains("at least 20 needed", i.Missing));
    }

    [Fact]
    public void Shape_index_sign_convention_and_limits()
    {
        Assert.Equal(1, CurvatureFeatures.ShapeIndex(0.1, 0.1));
        Assert.Equal(-1, CurvatureFeatures.ShapeIndex(-0.1, -0.1));
        Assert.Equal(0, CurvatureFeatures.ShapeIndex(0, 0));
        Assert.Equal(0.5, CurvatureFeatures.ShapeIndex(0.1, 0), 12);
        Assert.Equal(0, CurvatureFeatures.ShapeIndex(0.1, -0.1), 12); // saddle
    }
}
