using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

public class PlanarHullTests
{
    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 3)]   // few points, many on one row
    [InlineData(3, 400)]
    public void Diameter_from_row_extremes_equals_the_largest_distance_over_all_pairs(int seed, int count)
    {
        var random = new Random(seed);
        const int rows = 30;
        var lowest = new int[rows];
        var highest = new int[rows];
        Array.Fill(lowest, int.MaxValue);
        Array.Fill(highest, -1);
        var points = new List<(int U, int V)>();
        for (int p = 0; p < count; p++)
        {
            // Points on a few rows and columns only, so ties and collinear runs are common.
            var point = (U: random.Next(rows / 3) * 3, V: random.Next(8) * 2);
            points.Add(point);
            PlanarHull.Add(lowest, highest, point.U, point.V);
        }
        double su = 0.7, sv = 1.9, brute = 0;
        foreach (var a in points)
            foreach (var b in points)
                brute = Math.Max(brute, Math.Pow((a.U - b.U) * su, 2) + Math.Pow((a.V - b.V) * sv, 2));

        var hull = new (int U, int V)[2 * rows + 1];
        int h = PlanarHull.Of(lowest, highest, new (int U, int V)[2 * rows], hull);
        Assert.InRange(h, 1, points.Count);
        Assert.Equal(brute, PlanarHull.SquaredDiameter(hull.AsSpan(0, h), su, sv), 12);
    }
}
