namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// Convex hull and largest distance of integer points in a plane, given as the lowest and highest v of each row u: only
/// hull vertices can end the largest distance, and a hull vertex is the lowest or highest point of its row, so one pass
/// over the points (recording row extremes) replaces sorting them and the O(n²) search over all pairs.
/// </summary>
internal static class PlanarHull
{
    /// <summary>Records point (u, v) in the row extremes (rows start as lowest = int.MaxValue, highest = −1).</summary>
    public static void Add(Span<int> lowest, Span<int> highest, int u, int v)
    {
        lowest[u] = Math.Min(lowest[u], v);
        highest[u] = Math.Max(highest[u], v);
    }

    /// <summary>Hull vertices (Andrew's monotone chain; collinear points dropped) of the points recorded in
    /// <paramref name="lowest"/>/<paramref name="highest"/>, written to <paramref name="hull"/> (room for 2 × rows + 1);
    /// returns their count. <paramref name="candidates"/> needs room for 2 × rows.</summary>
    public static int Of(ReadOnlySpan<int> lowest, ReadOnlySpan<int> highest, Span<(int U, int V)> candidates, Span<(int U, int V)> hull)
    {
        int n = 0;
        for (int u = 0; u < lowest.Length; u++)
        {
            if (highest[u] < 0) continue;
            candidates[n++] = (u, lowest[u]);
            if (highest[u] != lowest[u]) candidates[n++] = (u, highest[u]);
        }
        // The candidates are sorted by (u, v) as the monotone chain needs.
        var sorted = candidates[..n];
        if (n < 3) { sorted.CopyTo(hull); return n; }
        int h = 0;
        foreach (var p in sorted) // lower chain
        {
            while (h >= 2 && Turn(hull[h - 2], hull[h - 1], p) <= 0) h--;
            hull[h++] = p;
        }
        int lower = h + 1;
        for (int s = n - 2; s >= 0; s--) // upper chain, back to the first point
        {
            var p = sorted[s];
            while (h >= lower && Turn(hull[h - 2], hull[h - 1], p) <= 0) h--;
            hull[h++] = p;
        }
        return h - 1; // the first point closes the chain
    }

    /// <summary>Largest squared distance between two of the points, with u and v scaled by <paramref name="su"/> and <paramref name="sv"/>.</summary>
    public static double SquaredDiameter(ReadOnlySpan<(int U, int V)> hull, double su, double sv)
    {
        double best = 0;
        for (int i = 0; i < hull.Length; i++)
            for (int j = i + 1; j < hull.Length; j++)
            {
                double du = (hull[i].U - hull[j].U) * su, dv = (hull[i].V - hull[j].V) * sv;
                best = Math.Max(best, du * du + dv * dv);
            }
        return best;
    }

    private static long Turn((int U, int V) a, (int U, int V) b, (int U, int V) c) =>
        (long)(b.U - a.U) * (c.V - a.V) - (long)(b.V - a.V) * (c.U - a.U);
}
