using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Maps;

/// <summary>
/// Voxel-wise feature maps: a feature computed in a cube kernel of radius r (side 2r+1, clipped to the image) centred
/// on every ROI voxel, as PyRadiomics' voxel-based extraction does. The kernel slides along each row of the ROI:
/// the leaving plane's voxels (and the co-occurrence pairs they form) are removed and the entering plane's added,
/// so a step costs O(r²), not O(r³).
/// </summary>
/// <remarks>
/// Features (IBSI tags):
/// first order — <c>stat.mean</c> (Q4LE), <c>stat.var</c> (ECT3) of the intensities and <c>ih.entropy</c> (TLU2) of
/// the grey levels in the kernel; GLCM — every feature of the GLCM family (<c>cm.joint.entr</c>, …) on the kernel's
/// symmetric co-occurrence matrices at Chebyshev distance 1 in the 13 3-D directions, either averaged over the
/// directions (IBSI "3D, averaged", PyRadiomics' default; directions without pairs are left out) or of the merged
/// matrix ("3D, merged"). Only voxels with a grey level above 0 enter a kernel (<see cref="KernelImage"/>).
/// </remarks>
public static class VoxelwiseMaps
{
    public static readonly string[] FirstOrderFeatures = ["stat.mean", "stat.var", "ih.entropy"];

    /// <summary>The GLCM family's features (IBSI tags <c>cm.*</c>).</summary>
    public static readonly string[] GlcmFeatures = Glcm.Definitions.Select(f => f.Tag).ToArray();

    /// <summary>Every feature name <see cref="Compute"/> accepts.</summary>
    public static IReadOnlyList<string> Features { get; } = [.. FirstOrderFeatures, .. GlcmFeatures];

    private static byte[] KernelVoxels(KernelImage image)
    {
        var inside = new byte[image.Levels.Length];
        for (int n = 0; n < inside.Length; n++) inside[n] = image.Levels[n] != 0 ? (byte)1 : (byte)0;
        return inside;
    }

    public static bool IsFeature(string name) => Features.Contains(name, StringComparer.Ordinal);

    /// <summary>One map per requested feature, over the bounding box of <paramref name="centres"/> (non-zero = ROI), NaN outside the ROI.</summary>
    public static IReadOnlyList<FeatureMap> Compute(KernelImage image, byte[] centres, IReadOnlyList<string> features, int radius, bool mergeGlcmDirections = false)
    {
        image.Validated();
        if (radius < 1 || radius > 10) throw new ArgumentOutOfRangeException(nameof(radius), $"kernel radius must be 1…10, got {radius}");
        foreach (var name in features)
            if (!IsFeature(name))
                throw new ArgumentException($"'{name}' is not a voxel-wise feature; known: {string.Join(", ", Features)}", nameof(features));
        var box = MapBox.Bounding(image.Grid, centres);
        var maps = new List<FeatureMap>();
        if (features.Any(f => FirstOrderFeatures.Contains(f)))
            maps.AddRange(Slide(image, centres, box, radius, FirstOrderFeatures, () => new FirstOrderKernel(image, radius)));
        var glcm = Glcm.Definitions.Where(d => features.Contains(d.Tag)).ToArray();
        if (glcm.Length > 0)
        {
            var volume = TextureVolume.Create(new DiscretisedRoi(image.Grid, image.Levels, image.LevelCount, KernelVoxels(image)), padding: 0);
            maps.AddRange(Slide(image, centres, box, radius, glcm.Select(d => d.Tag).ToArray(), () => new GlcmKernel(image, volume, glcm, mergeGlcmDirections)));
        }
        return features.Select(f => maps.First(m => m.Name == f)).ToArray();
    }

    /// <summary>The kernel's extent: x range X0…X1 (the planes held), y and z ranges fixed along a row.</summary>
    internal readonly record struct KernelRange(int X0, int X1, int Y0, int Y1, int Z0, int Z1);

    /// <summary>A statistic over a kernel that is updated one x-plane at a time. One instance per worker thread.</summary>
    internal interface IKernelStatistic
    {
        void Clear();
        /// <summary>Adds or removes plane <paramref name="x"/>, which is the first or last plane of <paramref name="range"/>.</summary>
        void UpdatePlane(int x, KernelRange range, bool add);
        void Evaluate(Span<double> values);
    }

    private static FeatureMap[] Slide(KernelImage image, byte[] centres, Box box, int radius, string[] names, Func<IKernelStatistic> create)
    {
        var grid = image.Grid;
        var values = new float[names.Length][];
        for (int f = 0; f < values.Length; f++)
        {
            values[f] = new float[box.Count];
            Array.Fill(values[f], float.NaN);
        }
        Parallel.For(0, box.Ny * box.Nz,
            () => (Statistic: create(), Result: new double[names.Length]),
            (row, _, worker) =>
            {
                int y = box.J0 + row % box.Ny, z = box.K0 + row / box.Ny;
                int rowStart = grid.Index(0, y, z);
                int first = box.I0, last = box.I1 - 1;
                while (first <= last && centres[rowStart + first] == 0) first++;
                while (last >= first && centres[rowStart + last] == 0) last--;
                if (first > last) return worker;

                var range = new KernelRange(Math.Max(0, first - radius), Math.Max(0, first - radius),
                    Math.Max(0, y - radius), Math.Min(grid.Ny - 1, y + radius), Math.Max(0, z - radius), Math.Min(grid.Nz - 1, z + radius));
                var statistic = worker.Statistic;
                statistic.Clear();
                statistic.UpdatePlane(range.X0, range, add: true);
                for (int x = range.X0 + 1, end = Math.Min(grid.Nx - 1, first + radius); x <= end; x++)
                {
                    range = range with { X1 = x };
                    statistic.UpdatePlane(x, range, add: true);
                }
                for (int x = first; x <= last; x++)
                {
                    if (centres[rowStart + x] != 0)
                    {
                        statistic.Evaluate(worker.Result);
                        int n = box.Index(x, y, z);
                        for (int f = 0; f < names.Length; f++) values[f][n] = (float)worker.Result[f];
                    }
                    if (x == last) break;
                    if (x + 1 - radius > range.X0)
                    {
                        statistic.UpdatePlane(range.X0, range, add: false);
                        range = range with { X0 = range.X0 + 1 };
                    }
                    if (x + 1 + radius < grid.Nx)
                    {
                        range = range with { X1 = x + 1 + radius };
                        statistic.UpdatePlane(range.X1, range, add: true);
                    }
                }
                return worker;
            },
            _ => { });
        var maps = new FeatureMap[names.Length];
        for (int f = 0; f < names.Length; f++) maps[f] = new FeatureMap(names[f], grid, box, values[f]);
        return maps;
    }

    /// <summary>Mean and variance of the intensities and entropy of the grey levels in the kernel, kept as running sums.</summary>
    private sealed class FirstOrderKernel : IKernelStatistic
    {
        private readonly KernelImage _image;
        private readonly int[] _levelCounts;
        private readonly double[] _countLogCount;   // c·log2(c) for every count a kernel can reach
        private int _count;
        private double _shift, _sum, _sumSquares, _sumCountLogCount;

        public FirstOrderKernel(KernelImage image, int radius)
        {
            _image = image;
            _levelCounts = new int[image.LevelCount + 1];
            int side = 2 * radius + 1;
            _countLogCount = new double[side * side * side + 1];
            for (int c = 1; c < _countLogCount.Length; c++) _countLogCount[c] = c * Math.Log2(c);
        }

        public void Clear()
        {
            Array.Clear(_levelCounts);
            _count = 0;
            _sum = _sumSquares = _sumCountLogCount = 0;
        }

        public void UpdatePlane(int x, KernelRange range, bool add)
        {
            var grid = _image.Grid;
            for (int z = range.Z0; z <= range.Z1; z++)
                for (int y = range.Y0; y <= range.Y1; y++)
                {
                    int n = grid.Index(x, y, z), level = _image.Levels[n];
                    if (level == 0) continue;
                    // intensities are summed relative to the kernel's first voxel, against cancellation in the variance
                    if (_count == 0 && add) _shift = _image.Intensities[n];
                    double v = _image.Intensities[n] - _shift;
                    int c = _levelCounts[level];
                    if (add)
                    {
                        _count++; _sum += v; _sumSquares += v * v;
                        _sumCountLogCount += _countLogCount[c + 1] - _countLogCount[c];
                        _levelCounts[level] = c + 1;
                    }
                    else
                    {
                        _count--; _sum -= v; _sumSquares -= v * v;
                        _sumCountLogCount += _countLogCount[c - 1] - _countLogCount[c];
                        _levelCounts[level] = c - 1;
                        if (_count == 0) _sum = _sumSquares = _sumCountLogCount = 0;   // drop rounding residue before a new shift
                    }
                }
        }

        public void Evaluate(Span<double> values)
        {
            if (_count == 0) { values[..3].Fill(double.NaN); return; }
            double mean = _sum / _count;
            values[0] = _shift + mean;                                                  // IBSI Q4LE: mean
            values[1] = Math.Max(0, _sumSquares / _count - mean * mean);                // IBSI ECT3: variance
            values[2] = Math.Max(0, Math.Log2(_count) - _sumCountLogCount / _count);   // IBSI TLU2: −Σ p log2 p
        }
    }

    /// <summary>
    /// The kernel's GLCMs, one per IBSI 3-D direction (or their sum), kept as count matrices that the GLCM family
    /// (<see cref="Glcm"/>) turns into features. Each pair of kernel voxels is counted once, along its direction; the
    /// family symmetrises.
    /// </summary>
    private sealed class GlcmKernel : IKernelStatistic
    {
        private static readonly Direction[] Directions = [.. Direction.InPlane, .. Direction.OutOfPlane];

        private readonly KernelImage _image;
        private readonly Glcm _family;
        private readonly int[] _compact;     // grey level → the family's compact level (row/column of its matrices)
        private readonly int _size;
        private readonly long[][] _matrices;
        private readonly int[] _voxelsOfLevel;   // kernel voxels per compact level
        private readonly int[] _present;         // the compact levels in the kernel, ascending (filled per evaluation)
        private readonly Glcm.Probabilities _probabilities;
        private readonly TextureFeature<Glcm.Probabilities>[] _features;   // the requested ones
        private readonly double[] _single;

        public GlcmKernel(KernelImage image, TextureVolume volume, TextureFeature<Glcm.Probabilities>[] features, bool merged)
        {
            _image = image;
            _features = features;
            _single = new double[features.Length];
            _family = new Glcm(volume, symmetric: true);
            _size = volume.PresentLevels + 1;
            _compact = new int[image.LevelCount + 1];
            for (int c = 1; c < volume.GreyLevel.Length; c++) _compact[volume.GreyLevel[c]] = c;
            _matrices = new long[merged ? 1 : Directions.Length][];
            for (int d = 0; d < _matrices.Length; d++) _matrices[d] = new long[_family.MatrixLength];
            _voxelsOfLevel = new int[_size];
            _present = new int[_size];
            _probabilities = new Glcm.Probabilities(volume.GreyLevel, volume.LevelCount);
        }

        public void Clear()
        {
            foreach (var m in _matrices) Array.Clear(m);
            Array.Clear(_voxelsOfLevel);
        }

        public void UpdatePlane(int x, KernelRange range, bool add)
        {
            var grid = _image.Grid;
            var levels = _image.Levels;
            long delta = add ? 1 : -1;
            // pairs leaving or entering with this plane: those inside it, and those with the neighbouring plane of the kernel
            int partnerPlane = range.X0 == range.X1 ? -1 : x == range.X0 ? x + 1 : x - 1;
            for (int z = range.Z0; z <= range.Z1; z++)
                for (int y = range.Y0; y <= range.Y1; y++)
                {
                    int a = _compact[levels[grid.Index(x, y, z)]];
                    if (a == 0) continue;
                    _voxelsOfLevel[a] += (int)delta;
                    for (int d = 0; d < Directions.Length; d++)
                    {
                        var (dx, dy, dz) = Directions[d];
                        int step = 1;
                        if (dx != 0)
                        {
                            if (partnerPlane < 0) continue;
                            step = (partnerPlane - x) * dx;   // ±1: walk along ±direction into the partner plane
                        }
                        int py = y + step * dy, pz = z + step * dz;
                        if (py < range.Y0 || py > range.Y1 || pz < range.Z0 || pz > range.Z1) continue;
                        int b = _compact[levels[grid.Index(x + step * dx, py, pz)]];
                        if (b == 0) continue;
                        // the pair runs from the voxel at its start along the direction: (this, partner) or (partner, this)
                        int cell = step > 0 ? a * _size + b : b * _size + a;
                        _matrices[_matrices.Length == 1 ? 0 : d][cell] += delta;
                    }
                }
        }

        /// <summary>IBSI "3D, averaged": mean over the directions that hold a pair; "3D, merged": the summed matrix.</summary>
        public void Evaluate(Span<double> values)
        {
            values.Clear();
            int presentCount = 0;
            for (int level = 1; level < _size; level++)
                if (_voxelsOfLevel[level] > 0) _present[presentCount++] = level;
            var present = _present.AsSpan(0, presentCount);
            int used = 0;
            foreach (var matrix in _matrices)
            {
                // only the kernel's levels can hold counts: the family visits those rows and columns, not all N_g²
                if (_family.Statistics(matrix, present, _probabilities) is not { } statistics) continue;
                TextureOutput.Evaluate(_features, statistics, _single);
                for (int f = 0; f < _single.Length; f++) values[f] += _single[f];
                used++;
            }
            for (int f = 0; f < values.Length; f++) values[f] = used > 0 ? values[f] / used : double.NaN;
        }
    }
}
