using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Tests;

public class ConvexHullTests
{
    private static long Orientation(int[] p, int a, int b, int c, int q)
    {
        long ux = p[3 * b] - p[3 * a], uy = p[3 * b + 1] - p[3 * a + 1], uz = p[3 * b + 2] - p[3 * a + 2];
        long vx = p[3 * c] - p[3 * a], vy = p[3 * c + 1] - p[3 * a + 1], vz = p[3 * c + 2] - p[3 * a + 2];
        long wx = p[3 * q] - p[3 * a], wy = p[3 * q + 1] - p[3 * a + 1], wz = p[3 * q + 2] - p[3 * a + 2];
        return (uy * vz - uz * vy) * wx + (uz * vx - ux * vz) * wy + (ux * vy - uy * vx) * wz;
    }

    [Theory]
    [InlineData(1, 200, 5)]      // many coplanar and collinear points on a small lattice
    [InlineData(2, 2000, 1000)]  // general position
    public void EveryPointLiesInsideOrOnTheHullAndTheHullIsClosed(int seed, int count, int range)
    {
        var random = new Random(seed);
        var points = new int[3 * count];
        for (int i = 0; i < points.Length; i++) points[i] = random.Next(-range, range + 1);
        var hull = ConvexHull.Of(points);
        var t = hull.Triangles;
        for (int f = 0; f < t.Length; f += 3)
            for (int q = 0; q < count; q++)
                Assert.True(Orientation(points, t[f], t[f + 1], t[f + 2], q) <= 0, $"point {q} lies outside face {f / 3}");
        var directed = new HashSet<(int, int)>();
        for (int f = 0; f < t.Length; f += 3)
            for (int s = 0; s < 3; s++)
                Assert.True(directed.Add((t[f + s], t[f + (s + 1) % 3])));
        foreach (var (a, b) in directed) Assert.Contains((b, a), directed);
    }

    [Fact]
    public void CubeLatticeHullHasTheCubeVolumeAndOnlyCornerVertices()
    {
        var points = new List<int>();
        for (int x = 0; x <= 4; x++)
            for (int y = 0; y <= 4; y++)
                for (int z = 0; z <= 4; z++) points.AddRange([x, y, z]);
        var p = points.ToArray();
        var hull = ConvexHull.Of(p);
        Assert.Equal(8, hull.Vertices.Length);
        long sixfold = 0;
        for (int f = 0; f < hull.Triangles.Length; f += 3)
        {
            int a = hull.Triangles[f], b = hull.Triangles[f + 1], c = hull.Triangles[f + 2];
            sixfold += (long)p[3 * a] * (p[3 * b + 1] * p[3 * c + 2] - p[3 * b + 2] * p[3 * c + 1])
                     - (long)p[3 * a + 1] * (p[3 * b] * p[3 * c + 2] - p[3 * b + 2] * p[3 * c])
                     + (long)p[3 * a + 2] * (p[3 * b] * p[3 * c + 1] - p[3 * b + 1] * p[3 * c]);
        }
        Assert.Equal(6 * 64, sixfold);
    }

    [Fact]
    public void CoplanarPointsAreRejected() =>
        Assert.Throws<ArgumentException>(() => ConvexHull.Of([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 2, 3, 0]));
}
