using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Tests;

public class GeometryTests
{
    // A rotation without special structure: 40° about (1, 2, 3)/|…|.
    private static readonly Matrix3 Rotation = RotationAbout(new Vec3(1, 2, 3).Normalized(), 40 * Math.PI / 180);

    private static Matrix3 RotationAbout(Vec3 k, double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle), t = 1 - c;
        return new Matrix3(
            t * k.X * k.X + c, t * k.X * k.Y - s * k.Z, t * k.X * k.Z + s * k.Y,
            t * k.X * k.Y + s * k.Z, t * k.Y * k.Y + c, t * k.Y * k.Z - s * k.X,
            t * k.X * k.Z - s * k.Y, t * k.Y * k.Z + s * k.X, t * k.Z * k.Z + c);
    }

    [Fact]
    public void SymmetricEigenRecoversARotatedDiagonal()
    {
        var m = new double[3, 3];
        double[] diagonal = [9, 4, 1];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 3; k++) m[r, c] += Rotation[r, k] * diagonal[k] * Rotation[c, k];
        var (values, vectors) = Geometry.SymmetricEigen(m);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(diagonal[i], values[i], 10);
            Assert.Equal(1, Math.Abs(vectors[i].Dot(Rotation.Column(i))), 10);
        }
    }

    [Theory]
    [InlineData(2.0, 1.5)]
    [InlineData(3.0, 2.0)] // moderate eccentricity: the series' truncation at ν = 20 is below 1e-8 here
    public void EllipsoidAreaFollowsTheIbsiSeries(double a, double b)
    {
        Assert.Equal(4 * Math.PI * b * b, Geometry.EllipsoidArea(b, b, b), 9);
        // For (a, b, b) the series has α = β = e (e² = 1 − b²/a²) and P_ν(1) = 1, so it sums in closed form:
        // Σ e^2ν/(1 − 4ν²) = (1 + (1 − e²)·atanh(e)/e)/2.
        double e = Math.Sqrt(1 - b * b / (a * a));
        double series = 2 * Math.PI * a * b * (1 + (1 - e * e) * Math.Atanh(e) / e);
        Assert.Equal(1, Geometry.EllipsoidArea(a, b, b) / series, 6);
        // The IBSI series is not the exact ellipsoid area: for this prolate spheroid it falls short of
        // 2πb²(1 + a·asin(e)/(b·e)). The IBSI reference values follow the series, so it is kept.
        double exact = 2 * Math.PI * b * b * (1 + a / (b * e) * Math.Asin(e));
        Assert.True(Geometry.EllipsoidArea(a, b, b) < exact);
    }

    [Fact]
    public void MinimumVolumeEnclosingEllipsoidOfPointsOnAnEllipsoidIsThatEllipsoid()
    {
        var centre = new Vec3(10, -4, 7);
        var points = new List<Vec3>();
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 24; j++)
            {
                double theta = Math.PI * (i + 0.5) / 12 - Math.PI / 2, phi = 2 * Math.PI * j / 24;
                points.Add(centre + Rotation * new Vec3(5 * Math.Cos(theta) * Math.Cos(phi), 3 * Math.Cos(theta) * Math.Sin(phi), 2 * Math.Sin(theta)));
            }
        // Interior points must not matter.
        points.Add(centre);
        points.Add(centre + Rotation * new Vec3(1, 1, 0.5));
        var axes = Geometry.MinimumVolumeEnclosingEllipsoid(points);
        Assert.Equal(5, axes[0], 2);
        Assert.Equal(3, axes[1], 2);
        Assert.Equal(2, axes[2], 2);
    }

    [Fact]
    public void HullFaceBoxOfARotatedBoxIsTheBox()
    {
        var points = new List<Vec3>();
        for (int c = 0; c < 8; c++)
            points.Add(Rotation * new Vec3((c & 1) * 4.0, (c >> 1 & 1) * 2.0, (c >> 2 & 1) * 1.0));
        points.Add(Rotation * new Vec3(2, 1, 0.5));
        // The box's face normals plus a distracting oblique one.
        Vec3[] normals = [Rotation.Column(0), Rotation.Column(1), -Rotation.Column(2), Rotation * new Vec3(1, 1, 1)];
        var (a, b, c2) = Geometry.MinimumVolumeHullFaceBox(points, normals);
        Assert.Equal(8, a * b * c2, 9);
        double[] sides = [a, b, c2];
        Array.Sort(sides);
        Assert.Equal([1, 2, 4], sides.Select(s => Math.Round(s, 9)));
    }

    [Fact]
    public void HullFaceAreasPruneOrientationsWithoutChangingTheBox()
    {
        // A rotated 4 × 2 × 1 box, whose hull faces have area vectors ±(side areas) along its axes.
        var points = new List<Vec3>();
        for (int c = 0; c < 8; c++)
            points.Add(Rotation * new Vec3((c & 1) * 4.0, (c >> 1 & 1) * 2.0, (c >> 2 & 1) * 1.0));
        Vec3 x = Rotation.Column(0), y = Rotation.Column(1), z = Rotation.Column(2);
        Vec3[] faceAreas = [2 * x, -2 * x, 4 * y, -4 * y, 8 * z, -8 * z];
        // The oblique orientations come after the box's own: their shadow bound exceeds the box, so they are skipped.
        Vec3[] normals = [x, y, z, Rotation * new Vec3(1, 1, 1), Rotation * new Vec3(1, -2, 0.5)];
        var pruned = Geometry.MinimumVolumeHullFaceBox(points, normals, faceAreas);
        var full = Geometry.MinimumVolumeHullFaceBox(points, normals);
        Assert.Equal(full, pruned);
        Assert.Equal(8, pruned.A * pruned.B * pruned.C, 9);
    }
}
