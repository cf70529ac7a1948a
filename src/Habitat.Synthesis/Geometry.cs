using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>Small geometric helpers of the phantom: rotations, ellipsoid depth, partial-volume fractions.</summary>
internal static class Geometry
{
    public static Matrix3 FromQuaternion(double x, double y, double z, double w) => new(
        1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
        2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
        2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y));

    /// <summary>Rotation by the given angles (radians) about x, then y, then z.</summary>
    public static Matrix3 EulerRotation(double ax, double ay, double az)
    {
        var (sx, cx) = Math.SinCos(ax);
        var (sy, cy) = Math.SinCos(ay);
        var (sz, cz) = Math.SinCos(az);
        var rx = new Matrix3(1, 0, 0, 0, cx, -sx, 0, sx, cx);
        var ry = new Matrix3(cy, 0, sy, 0, 1, 0, -sy, 0, cy);
        var rz = new Matrix3(cz, -sz, 0, sz, cz, 0, 0, 0, 1);
        return rz * ry * rx;
    }

    /// <summary>
    /// Signed depth (mm, positive inside) of point <paramref name="q"/> below the surface of the ellipsoid
    /// centred at the origin with semi-axes <paramref name="axes"/>, measured along the ray from the centre:
    /// |q|/ρ − |q| with ρ the ellipsoidal radius. Exact for a sphere, close to the normal distance for the
    /// moderate eccentricities used here.
    /// </summary>
    public static double EllipsoidDepth(double qx, double qy, double qz, Vec3 axes)
    {
        double ex = qx / axes.X, ey = qy / axes.Y, ez = qz / axes.Z;
        double rho = Math.Sqrt(ex * ex + ey * ey + ez * ez);
        double length = Math.Sqrt(qx * qx + qy * qy + qz * qz);
        if (rho < 1e-9) return Math.Min(axes.X, Math.Min(axes.Y, axes.Z));
        return length / rho - length;
    }

    /// <summary>
    /// Fraction of a voxel of size <paramref name="voxelMm"/> lying on the inside of a boundary whose signed depth
    /// (positive inside) is <paramref name="depthMm"/>: the box average of a step across a planar boundary, i.e.
    /// what generating on a much finer grid and averaging down gives. <paramref name="gradient"/> is the rate of
    /// change of the depth field along its normal (1 for a true distance, larger for depths perturbed by a random field).
    /// </summary>
    public static float Inside(double depthMm, double voxelMm, double gradient = 1.0)
    {
        double f = 0.5 + depthMm / (voxelMm * gradient);
        return f <= 0 ? 0f : f >= 1 ? 1f : (float)f;
    }

    /// <summary>
    /// RMS slope along the normal of a depth <c>d + amplitude·g</c>, where g is a unit-variance
    /// <see cref="RandomField"/> of correlation length ℓ (its derivative along any axis has variance 1/(2ℓ²)).
    /// </summary>
    public static double PerturbedGradient(double amplitudeMm, double correlationMm) =>
        Math.Sqrt(1 + amplitudeMm * amplitudeMm / (2 * correlationMm * correlationMm));
}
