namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' grey-level binning (imageoperations.binImage), bin edges computed as numpy computes them:
/// fixed bin width w: edges numpy.arange(L, max + 2w, w) with L = min − (min mod w) = ⌊min / w⌋ w (so the bins are
/// aligned to multiples of w, unlike IBSI's edges that start at the ROI minimum); fixed bin count N: the edges of
/// numpy.histogram(x, N) with the last edge raised by 1. Level = numpy.digitize(x, edges), 1…N_g.
/// </summary>
internal static class PyDiscretisation
{
    public static int[] Levels(double[] values, PyRadiomicsSettings settings)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values) { min = Math.Min(min, v); max = Math.Max(max, v); }
        var edges = settings.BinCount is { } count ? HistogramEdges(min, max, count) : WidthEdges(min, max, settings.BinWidth);
        var levels = new int[values.Length];
        for (int n = 0; n < values.Length; n++) levels[n] = Digitize(values[n], edges);
        return levels;
    }

    private static double[] WidthEdges(double min, double max, double width)
    {
        double low = min - PythonModulo(min, width), high = max + 2 * width;
        int length = (int)Math.Ceiling((high - low) / width);
        if (length == 1) return [low - 0.5, low + 0.5]; // a flat region: one bin, as numpy.histogram would give
        double delta = (low + width) - low; // numpy.arange steps by the rounded first difference
        var edges = new double[length];
        for (int i = 0; i < length; i++) edges[i] = low + i * delta;
        return edges;
    }

    private static double[] HistogramEdges(double min, double max, int count)
    {
        if (min == max) { min -= 0.5; max += 0.5; }
        var edges = new double[count + 1];
        double step = (max - min) / count; // numpy.linspace: start + i·step, last edge exactly stop
        for (int i = 0; i < count; i++) edges[i] = min + i * step;
        edges[count] = max + 1;
        return edges;
    }

    /// <summary>Python's float modulo: the result takes the sign of the divisor.</summary>
    private static double PythonModulo(double a, double b)
    {
        double r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    /// <summary>numpy.digitize for increasing edges: the number of edges ≤ x.</summary>
    private static int Digitize(double x, double[] edges)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (edges[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
