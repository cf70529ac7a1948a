using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// CoLlAGe — Co-occurrence of Local Anisotropic Gradient Orientations (Prasanna, Tiwari and Madabhushi,
/// Sci Rep 6:37241, 2016): per-voxel Haralick statistics of the co-occurrence of quantised dominant gradient
/// orientations, and their summaries over the ROI.
/// </summary>
/// <remarks>
/// Steps and the choices made (see docs/maps.md):
/// 1. Box: the ROI's bounding box grown by w in-plane (the reach of the co-occurrence window), clipped to the image.
/// 2–3. Orientation θ (and φ in 3-D) of every box voxel: <see cref="DominantOrientation"/>.
/// 4. Quantisation to G bins: <see cref="OrientationBinning"/>. Case-relative bins rescale the box's min–max to
///    0…G−1 and round half away from zero; bins are at least 1e-5 rad wide, so float rounding noise of a uniform
///    orientation field (~1e-7 rad) stays in one bin.
/// 5. For each ROI voxel, a symmetric G×G matrix counting every pair of voxels at Chebyshev distance 1 in the
///    8 in-plane directions, both inside the centred (2w+1)×(2w+1) window clipped to the box (voxels of the box
///    outside the ROI count; no voxel is paired with itself). The 3-D variant uses 3-D gradients but in-plane windows,
///    as the authors' 3-D code does. The window slides along each row, removing the leaving column's pairs and
///    adding the entering column's.
/// 6. The 13 <see cref="HaralickStatistics"/> of each matrix → maps <c>collage.theta.entropy</c>, … (NaN outside the ROI).
/// 7. <see cref="MapSummary"/> of each map → features <c>collage.theta.entropy.median</c>, ….
/// </remarks>
public static class Collage
{
    /// <summary>Computes every CoLlAGe map of <paramref name="image"/> inside <paramref name="mask"/> (non-zero = ROI).</summary>
    public static CollageResult Compute(Volume image, byte[] mask, CollageSettings settings)
    {
        var grid = image.Grid;
        var roiBox = MapBox.Bounding(grid, mask);
        int w = settings.CooccurrenceRadius;
        var box = roiBox.Grow(grid, w, w, 0);
        bool threeD = settings.Dimension == CollageDimension.ThreeD;
        var (theta, phi) = DominantOrientation.Compute(image, box, settings.OrientationRadius, threeD);

        var maps = new List<FeatureMap>();
        maps.AddRange(CooccurrenceMaps("collage.theta", Quantise(theta, 0, Math.PI, settings), grid, mask, roiBox, box, settings));
        if (phi is not null)
            maps.AddRange(CooccurrenceMaps("collage.phi", Quantise(phi, -Math.PI / 2, Math.PI / 2, settings), grid, mask, roiBox, box, settings));
        return new CollageResult(settings, maps);
    }

    /// <summary>Narrowest case-relative orientation bin, in radians.</summary>
    internal const double MinimumBinWidth = 1e-5;

    /// <summary>Bins 0…G−1 of the angles; [<paramref name="low"/>, <paramref name="high"/>] is the angle's full range for fixed binning.</summary>
    internal static byte[] Quantise(float[] angles, double low, double high, CollageSettings settings)
    {
        int bins = settings.Bins;
        var result = new byte[angles.Length];
        if (settings.Binning == OrientationBinning.FixedRange)
        {
            double width = (high - low) / bins;
            for (int n = 0; n < angles.Length; n++)
                result[n] = (byte)Math.Clamp((int)Math.Floor((angles[n] - low) / width), 0, bins - 1);
            return result;
        }
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var a in angles) { if (a < min) min = a; if (a > max) max = a; }
        // A bin is never narrower than MinimumBinWidth, so that the rounding noise of single-precision orientations
        // (~1e-7 rad) of a near-uniform field is not stretched over all G bins.
        double range = Math.Max((double)max - min, (bins - 1) * MinimumBinWidth);
        for (int n = 0; n < angles.Length; n++)
            result[n] = (byte)Math.Round((angles[n] - (double)min) / range * (bins - 1), MidpointRounding.AwayFromZero);
        return result;
    }

    private static FeatureMap[] CooccurrenceMaps(string prefix, byte[] bins, Grid grid, byte[] mask, Box roiBox, Box box, CollageSettings settings)
    {
        var values = new float[HaralickStatistics.Count][];
        for (int s = 0; s < values.Length; s++)
        {
            values[s] = new float[roiBox.Count];
            Array.Fill(values[s], float.NaN);
        }
        int w = settings.CooccurrenceRadius;
        Parallel.For(0, roiBox.Ny * roiBox.Nz,
            () => new RowWorker(settings.Bins),
            (row, _, worker) =>
            {
                worker.Run(roiBox.J0 + row % roiBox.Ny, roiBox.K0 + row / roiBox.Ny, bins, grid, mask, roiBox, box, w, values);
                return worker;
            },
            _ => { });
        var maps = new FeatureMap[HaralickStatistics.Count];
        for (int s = 0; s < maps.Length; s++)
            maps[s] = new FeatureMap($"{prefix}.{HaralickStatistics.Names[s]}", grid, roiBox, values[s]);
        return maps;
    }

    /// <summary>Slides the co-occurrence window along one row of the ROI; its buffers are reused across rows.</summary>
    private sealed class RowWorker(int levels)
    {
        private readonly SparseCooccurrence _matrix = new(levels);
        private readonly HaralickStatistics _statistics = new(levels);
        private readonly double[] _result = new double[HaralickStatistics.Count];

        public void Run(int y, int z, byte[] bins, Grid grid, byte[] mask, Box roiBox, Box box, int w, float[][] values)
        {
            int rowStart = grid.Index(0, y, z);
            int first = roiBox.I0, last = roiBox.I1 - 1;
            while (first <= last && mask[rowStart + first] == 0) first++;
            while (last >= first && mask[rowStart + last] == 0) last--;
            if (first > last) return;

            int r0 = Math.Max(box.J0, y - w), r1 = Math.Min(box.J1 - 1, y + w);
            int c0 = Math.Max(box.I0, first - w), c1 = Math.Min(box.I1 - 1, first + w);
            _matrix.Clear();
            for (int c = c0; c <= c1; c++) UpdateColumn(bins, box, z, c, c > c0 ? c - 1 : -1, r0, r1, add: true);

            for (int x = first; x <= last; x++)
            {
                if (mask[rowStart + x] != 0)
                {
                    _statistics.Compute(_matrix, _result);
                    int n = roiBox.Index(x, y, z);
                    for (int s = 0; s < _result.Length; s++) values[s][n] = (float)_result[s];
                }
                if (x == last) break;
                int n0 = Math.Max(box.I0, x + 1 - w), n1 = Math.Min(box.I1 - 1, x + 1 + w);
                if (n0 > c0) { UpdateColumn(bins, box, z, c0, c0 + 1 <= c1 ? c0 + 1 : -1, r0, r1, add: false); c0 = n0; }
                if (n1 > c1) { UpdateColumn(bins, box, z, n1, n1 - 1 >= c0 ? n1 - 1 : -1, r0, r1, add: true); c1 = n1; }
            }
        }

        /// <summary>
        /// Adds (or removes) the pairs that column <paramref name="column"/> forms within itself (vertical) and with its
        /// neighbouring window column <paramref name="inner"/> (horizontal and both diagonals; −1 = none), rows r0…r1.
        /// </summary>
        private void UpdateColumn(byte[] bins, Box box, int z, int column, int inner, int r0, int r1, bool add)
        {
            for (int r = r0; r <= r1; r++)
            {
                int q = bins[box.Index(column, r, z)];
                if (r < r1) Pair(q, bins[box.Index(column, r + 1, z)], add);
                if (inner < 0) continue;
                Pair(q, bins[box.Index(inner, r, z)], add);
                if (r > r0) Pair(q, bins[box.Index(inner, r - 1, z)], add);
                if (r < r1) Pair(q, bins[box.Index(inner, r + 1, z)], add);
            }
        }

        private void Pair(int a, int b, bool add)
        {
            if (add) _matrix.Add(a, b);
            else _matrix.Remove(a, b);
        }
    }
}

/// <summary>The CoLlAGe maps of one image and ROI (θ in 2-D; θ and φ in 3-D), with their ROI summaries.</summary>
public sealed class CollageResult(CollageSettings settings, IReadOnlyList<FeatureMap> maps)
{
    public CollageSettings Settings { get; } = settings;
    /// <summary>Maps named <c>collage.{theta|phi}.{statistic}</c>, statistic from <see cref="HaralickStatistics.Names"/>.</summary>
    public IReadOnlyList<FeatureMap> Maps { get; } = maps;

    public FeatureMap Map(string name) =>
        Maps.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"no CoLlAGe map named '{name}'", nameof(name));

    /// <summary>Every map's <see cref="MapSummary"/>: <c>collage.theta.entropy.median</c>, ….</summary>
    public IReadOnlyList<Feature> Summaries()
    {
        var features = new List<Feature>();
        foreach (var map in Maps) features.AddRange(MapSummary.Summarise(map));
        return features;
    }
}
