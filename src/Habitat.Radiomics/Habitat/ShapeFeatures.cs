using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Habitat;

/// <summary>
/// Local curvature features of a compartment surface (specs/habitat-shape.md): per vertex curvedness
/// C = √((κ1² + κ2²)/2) (Koenderink), sharpness S = (κ1 − κ2)², shape index SI = (2/π)·atan((κ1 + κ2)/(κ1 − κ2))
/// (our sign: +1 on a convex umbilic with outward normals, the limit ±1 by the sign of κ1 + κ2 where κ1 = κ2, 0 on a
/// plane) and total curvature T = |κ1| + |κ2|; each clipped (winsorised) to its 5th–95th percentile over the
/// vertices, then summarised by mean, SD, skewness and excess kurtosis: 16 features
/// <c>shape.&lt;compartment&gt;.&lt;measure&gt;.&lt;statistic&gt;</c>.
/// </summary>
public static class CurvatureFeatures
{
    public static readonly IReadOnlyList<string> Measures = ["curvedness", "sharpness", "shape_index", "total_curvature"];
    public static readonly IReadOnlyList<string> Statistics = ["mean", "sd", "skewness", "kurtosis"];

    public static double Curvedness(double k1, double k2) => Math.Sqrt((k1 * k1 + k2 * k2) / 2);
    public static double Sharpness(double k1, double k2) => (k1 - k2) * (k1 - k2);
    public static double TotalCurvature(double k1, double k2) => Math.Abs(k1) + Math.Abs(k2);

    public static double ShapeIndex(double k1, double k2)
    {
        double sum = k1 + k2, difference = k1 - k2;
        if (difference == 0) return sum == 0 ? 0 : Math.Sign(sum);
        return 2 / Math.PI * Math.Atan(sum / difference);
    }

    public static void Compute(SurfaceCurvature surface, string prefix, FeatureRow row)
    {
        var valid = new List<int>(surface.K1.Length);
        for (int v = 0; v < surface.K1.Length; v++) if (double.IsFinite(surface.K1[v])) valid.Add(v);
        foreach (var measure in Measures)
        {
            if (valid.Count < 20)
            {
                foreach (var s in Statistics) row.AddMissing($"{prefix}.{measure}.{s}", $"the surface has {valid.Count} vertices with a curvature estimate (at least 20 needed)");
                continue;
            }
            var values = new double[valid.Count];
            for (int i = 0; i < values.Length; i++)
            {
                double k1 = surface.K1[valid[i]], k2 = surface.K2[valid[i]];
                values[i] = measure switch
                {
                    "curvedness" => Curvedness(k1, k2),
                    "sharpness" => Sharpness(k1, k2),
                    "shape_index" => ShapeIndex(k1, k2),
                    _ => TotalCurvature(k1, k2),
                };
            }
            Winsorise(values, 0.05, 0.95);
            var (mean, sd, skewness, kurtosis) = Moments(values);
            row.Add($"{prefix}.{measure}.mean", mean);
            row.Add($"{prefix}.{measure}.sd", sd);
            if (sd > 0)
            {
                row.Add($"{prefix}.{measure}.skewness", skewness);
                row.Add($"{prefix}.{measure}.kurtosis", kurtosis);
            }
            else
            {
                row.AddMissing($"{prefix}.{measure}.skewness", $"{measure} is constant over the surface");
                row.AddMissing($"{prefix}.{measure}.kurtosis", $"{measure} is constant over the surface");
            }
        }
    }

    /// <summary>Values below the lower / above the upper percentile are set to it (linear-interpolated percentiles).</summary>
    public static void Winsorise(double[] values, double lower, double upper)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        double lo = Percentile(sorted, lower), hi = Percentile(sorted, upper);
        for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i], lo, hi);
    }

    private static double Percentile(double[] sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int below = (int)position;
        int above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>Mean, population SD, skewness m3/m2^1.5 and excess kurtosis m4/m2² − 3 (as IBSI's statistics).</summary>
    public static (double Mean, double Sd, double Skewness, double Kurtosis) Moments(ReadOnlySpan<double> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in x)
        {
            double d = v - mean, d2 = d * d;
            m2 += d2; m3 += d2 * d; m4 += d2 * d2;
        }
        m2 /= x.Length; m3 /= x.Length; m4 /= x.Length;
        return (mean, Math.Sqrt(m2), m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2) - 3);
    }
}

/// <summary>
/// Per-slice (axial, k) contour descriptors of a compartment, summarised over the slices that hold it by mean, SD and
/// maximum: <c>shape.&lt;compartment&gt;.contour.&lt;measure&gt;.&lt;statistic&gt;</c>. The contour is the marching-squares
/// outline through pixel-edge midpoints (in-plane mm); the convex hull is that outline's.
/// </summary>
public static class SliceContours
{
    public static readonly IReadOnlyList<string> Measures =
        ["area_mm2", "perimeter_mm", "equivalent_diameter_mm", "eccentricity", "extent", "compactness", "radial_distance_sd_mm",
         "roughness", "elongation", "convexity"];
    public static readonly IReadOnlyList<string> Statistics = ["mean", "sd", "max"];

    public static void Compute(Grid grid, byte[] mask, string prefix, FeatureRow row)
    {
        var perSlice = Measures.Select(_ => new List<double>()).ToArray();
        var slice = new double[Measures.Count];
        for (int k = 0; k < grid.Nz; k++)
            if (SliceMeasures(grid, mask, k, slice))
                for (int m = 0; m < slice.Length; m++) perSlice[m].Add(slice[m]);
        for (int m = 0; m < Measures.Count; m++)
        {
            string name = $"{prefix}.contour.{Measures[m]}";
            var values = perSlice[m];
            if (values.Count == 0)
            {
                foreach (var s in Statistics) row.AddMissing($"{name}.{s}", "no slice holds the compartment");
                continue;
            }
            double mean = values.Average();
            row.Add($"{name}.mean", mean);
            row.Add($"{name}.sd", Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));
            row.Add($"{name}.max", values.Max());
        }
    }

    /// <summary>The measures of slice k in <see cref="Measures"/> order; false when the slice is empty.</summary>
    private static bool SliceMeasures(Grid grid, byte[] mask, int k, double[] output)
    {
        int nx = grid.Nx, ny = grid.Ny;
        double dx = grid.Spacing.X, dy = grid.Spacing.Y;
        bool In(int i, int j) => i >= 0 && j >= 0 && i < nx && j < ny && mask[i + nx * (j + ny * k)] != 0;
        long pixels = 0;
        int i0 = int.MaxValue, i1 = -1, j0 = int.MaxValue, j1 = -1;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                if (!In(i, j)) continue;
                pixels++;
                double x = i * dx, y = j * dy;
                sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
                i0 = Math.Min(i0, i); i1 = Math.Max(i1, i); j0 = Math.Min(j0, j); j1 = Math.Max(j1, j);
            }
        if (pixels == 0) return false;

        // Marching squares over cells whose corners are pixel centres (i, j)…(i+1, j+1), padded by one background pixel;
        // segments run from each exit crossing to the entry crossing before it (counter-clockwise), so the
        // inside is on the left and the shoelace sum over segments is the enclosed area.
        var points = new List<(double X, double Y)>();
        double perimeter = 0, twiceArea = 0;
        Span<(double X, double Y)> crossing = stackalloc (double, double)[4];
        Span<bool> entering = stackalloc bool[4];
        for (int j = j0 - 1; j <= j1; j++)
            for (int i = i0 - 1; i <= i1; i++)
            {
                // Corners counter-clockwise: (i, j), (i+1, j), (i+1, j+1), (i, j+1).
                Span<bool> inside = [In(i, j), In(i + 1, j), In(i + 1, j + 1), In(i, j + 1)];
                if (inside[0] == inside[1] && inside[1] == inside[2] && inside[2] == inside[3]) continue;
                int count = 0;
                for (int c = 0; c < 4; c++)
                {
                    int d = (c + 1) & 3;
                    if (inside[c] == inside[d]) continue;
                    double ax = i + (c is 1 or 2 ? 1 : 0), ay = j + (c >= 2 ? 1 : 0);
                    double bx = i + (d is 1 or 2 ? 1 : 0), by = j + (d >= 2 ? 1 : 0);
                    crossing[count] = ((ax + bx) / 2 * dx, (ay + by) / 2 * dy);
                    entering[count] = inside[d];
                    count++;
                }
                for (int c = 0; c < count; c++)
                {
                    if (entering[c]) continue;
                    var from = crossing[c];
                    var to = crossing[(c + count - 1) % count];
                    perimeter += Math.Sqrt((to.X - from.X) * (to.X - from.X) + (to.Y - from.Y) * (to.Y - from.Y));
                    twiceArea += from.X * to.Y - to.X * from.Y;
                    points.Add(from);
                }
            }
        double area = twiceArea / 2;
        var xs = new double[points.Count];
        var ys = new double[points.Count];
        for (int p = 0; p < points.Count; p++) (xs[p], ys[p]) = points[p];
        var hull = Geometry.ConvexHull2D(xs, ys);
        double hullPerimeter = 0, hullTwiceArea = 0;
        for (int h = 0; h < hull.Length; h++)
        {
            var a = points[hull[h]]; var b = points[hull[(h + 1) % hull.Length]];
            hullPerimeter += Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y));
            hullTwiceArea += a.X * b.Y - b.X * a.Y;
        }
        double cx = sx / pixels, cy = sy / pixels;
        double vxx = sxx / pixels - cx * cx, vyy = syy / pixels - cy * cy, vxy = sxy / pixels - cx * cy;
        double half = (vxx + vyy) / 2, root = Math.Sqrt(Math.Max(0, half * half - (vxx * vyy - vxy * vxy)));
        double major = half + root, minor = half - root; // second-moment eigenvalues
        double radialSum = 0, radialSquares = 0;
        foreach (var (x, y) in points)
        {
            double r = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
            radialSum += r; radialSquares += r * r;
        }
        double radialMean = radialSum / points.Count;
        output[0] = area;
        output[1] = perimeter;
        output[2] = Math.Sqrt(4 * area / Math.PI);
        output[3] = major > 0 ? Math.Sqrt(Math.Max(0, 1 - minor / major)) : 0;
        output[4] = pixels * dx * dy / ((i1 - i0 + 1) * dx * (j1 - j0 + 1) * dy);
        output[5] = area > 0 ? perimeter * perimeter / (4 * Math.PI * area) : double.NaN;
        output[6] = Math.Sqrt(Math.Max(0, radialSquares / points.Count - radialMean * radialMean));
        output[7] = hullPerimeter > 0 ? perimeter / hullPerimeter : double.NaN;
        output[8] = minor > 0 ? Math.Sqrt(major / minor) : double.NaN;
        output[9] = hullTwiceArea > 0 ? twiceArea / hullTwiceArea : double.NaN;
        return true;
    }
}
