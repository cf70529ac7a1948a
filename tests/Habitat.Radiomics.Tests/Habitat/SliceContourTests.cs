using Habitat.Imaging;
using Habitat.Radiomics.Habitat;

namespace Habitat.Radiomics.Tests.Habitat;

public class SliceContourTests
{
    private static Dictionary<string, double> Contours(Func<int, int, bool> inside)
    {
        var grid = Grid.Create(40, 40, 1, new Vec3(1, 1, 1));
        var mask = new byte[grid.Count];
        for (int j = 0; j < 40; j++)
            for (int i = 0; i < 40; i++)
                if (inside(i, j)) mask[grid.Index(i, j, 0)] = 1;
        var row = new FeatureRow();
        SliceContours.Compute(grid, mask, "shape.x", row);
        return row.Items.ToDictionary(item => item.Name, item => item.Value);
    }

    [Fact]
    public void A_square_is_its_own_convex_hull()
    {
        var square = Contours((i, j) => i is >= 10 and < 30 && j is >= 10 and < 30);
        Assert.Equal(1, square["shape.x.contour.roughness.mean"], 1e-12);
        Assert.Equal(1, square["shape.x.contour.convexity.mean"], 1e-12);
    }

    [Fact]
    public void An_L_shape_is_rougher_and_less_convex_than_its_hull_by_the_missing_corner()
    {
        // A 20×20 mm square without its 10×10 mm corner: the hull bridges the notch with a 10·√2 mm diagonal.
        // The marching-squares outline (pixel-edge midpoints, corners cut) is close to the analytic one: area 300 mm²
        // against a hull of 350 mm², perimeter 80 mm against 60 + 10√2 mm.
        var l = Contours((i, j) => i is >= 10 and < 30 && j is >= 10 and < 30 && !(i >= 20 && j >= 20));
        Assert.InRange(l["shape.x.contour.convexity.mean"], 300.0 / 350 * 0.98, 300.0 / 350 * 1.02);
        Assert.InRange(l["shape.x.contour.roughness.mean"], 80 / (60 + 10 * Math.Sqrt(2)) * 0.97, 80 / (60 + 10 * Math.Sqrt(2)) * 1.03);
    }
}
