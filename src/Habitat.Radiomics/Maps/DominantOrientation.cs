using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// The dominant gradient orientation of every voxel of a box (CoLlAGe step 3).
/// </summary>
/// <remarks>
/// Gradients are central differences in physical units (intensity per mm, so anisotropic voxels are handled),
/// one-sided at the image border. The orientation of a voxel is the principal eigenvector of the structure tensor
/// S = Σ g gᵀ summed (not mean-centred) over the (2k+1)×(2k+1) in-plane neighbourhood clipped to the image —
/// the dominant right singular vector of the stacked gradient matrix. That vector is an axis, defined only up to
/// sign, so it is reported as an angle pair that does not depend on the sign:
/// θ = atan2(v_y, v_x) folded into [0, π) (the sign is chosen so that v_y &gt; 0, or v_x &gt; 0 when v_y = 0), and in
/// 3-D the elevation φ = atan2(v_z, √(v_x² + v_y²)) ∈ [−π/2, π/2] with the same sign choice (v_z ≥ 0 when the axis is
/// along z). In 2-D θ has the closed form ½·atan2(2S_xy, S_xx − S_yy). A flat neighbourhood (S = 0) gets θ = φ = 0.
/// Negating the image negates every gradient and leaves S, hence θ and φ, unchanged.
/// </remarks>
internal static class DominantOrientation
{
    /// <summary>θ (and φ in 3-D, else null) for every voxel of <paramref name="box"/>, in box order; slices run in parallel.</summary>
    public static (float[] Theta, float[]? Phi) Compute(Volume image, Box box, int radius, bool threeD)
    {
        var theta = new float[box.Count];
        var phi = threeD ? new float[box.Count] : null;
        Parallel.For(0, box.Nz, slice => ComputeSlice(image, box, radius, threeD, box.K0 + slice, theta, phi));
        return (theta, phi);
    }

    private static void ComputeSlice(Volume image, Box box, int radius, bool threeD, int z, float[] theta, float[]? phi)
    {
        var grid = image.Grid;
        // the neighbourhoods of the box's voxels reach `radius` beyond it in-plane, clipped to the image
        int ox0 = Math.Max(0, box.I0 - radius), ox1 = Math.Min(grid.Nx - 1, box.I1 - 1 + radius);
        int oy0 = Math.Max(0, box.J0 - radius), oy1 = Math.Min(grid.Ny - 1, box.J1 - 1 + radius);
        int onx = ox1 - ox0 + 1, ony = oy1 - oy0 + 1;
        int channels = threeD ? 6 : 3;   // xx, xy, yy (, xz, yz, zz)

        // gradient products over the outer region, channel-major
        var products = new double[channels * onx * ony];
        int plane = onx * ony;
        for (int y = oy0; y <= oy1; y++)
            for (int x = ox0; x <= ox1; x++)
            {
                double gx = Derivative(image, x, y, z, 0), gy = Derivative(image, x, y, z, 1);
                int n = x - ox0 + onx * (y - oy0);
                products[n] = gx * gx;
                products[plane + n] = gx * gy;
                products[2 * plane + n] = gy * gy;
                if (!threeD) continue;
                double gz = Derivative(image, x, y, z, 2);
                products[3 * plane + n] = gx * gz;
                products[4 * plane + n] = gy * gz;
                products[5 * plane + n] = gz * gz;
            }

        // separable box sum: along x for the box's columns, then along y for the box's rows
        var rowSums = new double[channels * box.Nx * ony];
        int rowPlane = box.Nx * ony;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < ony; y++)
                for (int x = box.I0; x < box.I1; x++)
                {
                    int from = Math.Max(ox0, x - radius) - ox0, to = Math.Min(ox1, x + radius) - ox0;
                    double sum = 0;
                    for (int xx = from; xx <= to; xx++) sum += products[c * plane + xx + onx * y];
                    rowSums[c * rowPlane + (x - box.I0) + box.Nx * y] = sum;
                }

        Span<double> tensor = stackalloc double[6];
        for (int y = box.J0; y < box.J1; y++)
        {
            int from = Math.Max(oy0, y - radius) - oy0, to = Math.Min(oy1, y + radius) - oy0;
            for (int x = 0; x < box.Nx; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int yy = from; yy <= to; yy++) sum += rowSums[c * rowPlane + x + box.Nx * yy];
                    tensor[c] = sum;
                }
                int n = box.Index(box.I0 + x, y, z);
                if (threeD)
                {
                    var (t, p) = Angles3D(tensor[0], tensor[1], tensor[2], tensor[3], tensor[4], tensor[5]);
                    theta[n] = (float)t;
                    phi![n] = (float)p;
                }
                else theta[n] = (float)Angle2D(tensor[0], tensor[1], tensor[2]);
            }
        }
    }

    /// <summary>Derivative of the image along <paramref name="axis"/> in intensity per mm: central difference, one-sided at the border, 0 on a one-voxel axis.</summary>
    private static double Derivative(Volume image, int x, int y, int z, int axis)
    {
        var grid = image.Grid;
        int size = axis switch { 0 => grid.Nx, 1 => grid.Ny, _ => grid.Nz };
        if (size == 1) return 0;
        int position = axis switch { 0 => x, 1 => y, _ => z };
        int stride = axis switch { 0 => 1, 1 => grid.Nx, _ => grid.Nx * grid.Ny };
        int centre = grid.Index(x, y, z);
        int before = position > 0 ? centre - stride : centre, after = position < size - 1 ? centre + stride : centre;
        double distance = (position > 0 ? 1 : 0) + (position < size - 1 ? 1 : 0);
        return (image.Voxels[after] - (double)image.Voxels[before]) / (distance * grid.Spacing[axis]);
    }

    /// <summary>In-plane angle of the principal eigenvector of [[xx, xy], [xy, yy]], in [0, π).</summary>
    internal static double Angle2D(double xx, double xy, double yy)
    {
        double angle = 0.5 * Math.Atan2(2 * xy, xx - yy);
        return angle < 0 ? angle + Math.PI : angle;
    }

    /// <summary>(θ, φ) of the principal eigenvector of the symmetric tensor, with the sign convention of the class remarks.</summary>
    internal static (double Theta, double Phi) Angles3D(double xx, double xy, double yy, double xz, double yz, double zz)
    {
        var (vx, vy, vz) = PrincipalEigenvector(xx, xy, xz, yy, yz, zz);
        return AxisAngles(vx, vy, vz);
    }

    /// <summary>(θ, φ) of the axis through ±v: the same for v and −v.</summary>
    internal static (double Theta, double Phi) AxisAngles(double vx, double vy, double vz)
    {
        if (vy < 0 || (vy == 0 && (vx < 0 || (vx == 0 && vz < 0)))) { vx = -vx; vy = -vy; vz = -vz; }
        double theta = Math.Atan2(vy, vx);
        if (theta >= Math.PI) theta = 0;   // only reachable through −0 components
        return (theta, Math.Atan2(vz, Math.Sqrt(vx * vx + vy * vy)));
    }

    /// <summary>Unit eigenvector of the largest eigenvalue of the symmetric matrix [[a00, a01, a02], [a01, a11, a12], [a02, a12, a22]]
    /// (cyclic Jacobi, <see cref="Geometry.SymmetricEigenInPlace"/>: robust for repeated eigenvalues, no library sign choices).</summary>
    internal static (double X, double Y, double Z) PrincipalEigenvector(double a00, double a01, double a02, double a11, double a12, double a22)
    {
        Span<double> a = [a00, a01, a02, a01, a11, a12, a02, a12, a22];
        Span<double> v = stackalloc double[9];
        Geometry.SymmetricEigenInPlace(a, v);
        int best = a[0] >= a[4] ? (a[0] >= a[8] ? 0 : 2) : (a[4] >= a[8] ? 1 : 2);
        return (v[best], v[3 + best], v[6 + best]);
    }
}
