using Habitat.Imaging;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' GLCM angles for any <c>distances</c> and its distance weighting (<c>weightingNorm</c>) of GLCM and GLRLM
/// matrices, from <c>cmatrices.c</c> (<c>build_angles</c>), <c>glcm.py</c> and <c>glrlm.py</c> (<c>_calculateMatrix</c>;
/// GLRLM always uses distance 1):
/// <list type="bullet">
/// <item>an angle is every offset whose Chebyshev (infinity) norm is one of the distances — all of them, not only the 13
/// directions scaled — one of each ± pair: offsets are enumerated with z, then y, then x running from +max to −max and
/// the first half is kept, i.e. the offset whose first non-zero component in (z, y, x) order is positive;
/// <c>force2D</c> keeps offsets with z = 0;</item>
/// <item><c>weightingNorm</c> null: features per angle, averaged over the angles whose matrix is not empty;</item>
/// <item>otherwise each angle's (symmetrised) matrix is multiplied by a weight and the matrices are summed into one
/// matrix before the features (no averaging). With d the offset in mm (voxel offset × spacing) and ‖·‖ the Manhattan,
/// Euclidean or infinity norm (<c>no_weighting</c>: W = 1), GLCM weights by W = exp(−‖d‖²) (<c>glcm.py</c>) and GLRLM
/// by W = ‖d‖ itself (<c>glrlm.py</c>: the sum, the root of the sum of squares, the maximum).</item>
/// </list>
/// </summary>
internal static class PyAngles
{
    /// <summary>
    /// The angles (x, y, z offsets) in PyRadiomics' order. Those with a component beyond <paramref name="reachX"/>,
    /// <paramref name="reachY"/>, <paramref name="reachZ"/> are left out (pass the ROI's box size − 1: such angles never
    /// pair two ROI voxels, so their matrices are empty, which PyRadiomics drops from the mean and which add nothing to
    /// a weighted sum).
    /// </summary>
    public static Direction[] Generate(IReadOnlyList<int> distances, bool force2D,
        int reachX = int.MaxValue, int reachY = int.MaxValue, int reachZ = int.MaxValue)
    {
        int max = distances.Max();
        int rx = Math.Min(max, reachX), ry = Math.Min(max, reachY), rz = force2D ? 0 : Math.Min(max, reachZ);
        var angles = new List<Direction>();
        for (int dz = rz; dz >= -rz; dz--)
            for (int dy = ry; dy >= -ry; dy--)
                for (int dx = rx; dx >= -rx; dx--)
                {
                    // The enumeration is antisymmetric about (0, 0, 0): the offsets before it are one of each ± pair.
                    if (dx == 0 && dy == 0 && dz == 0) return [.. angles];
                    int chebyshev = Math.Max(Math.Abs(dx), Math.Max(Math.Abs(dy), Math.Abs(dz)));
                    if (distances.Contains(chebyshev)) angles.Add(new Direction(dx, dy, dz));
                }
        throw new InvalidOperationException("unreachable: the enumeration passes (0, 0, 0)");
    }

    /// <summary>GLCM's weight W = exp(−‖offset · spacing‖²) for the weighted norms, 1 for <c>no_weighting</c>.</summary>
    public static double GlcmWeight(Direction angle, WeightingNorm norm, Vec3 spacing) => norm switch
    {
        WeightingNorm.NoWeighting => 1,
        WeightingNorm.Euclidean => Math.Exp(-SquaredLengths(angle, spacing)), // ‖d‖² as the sum of squares, no root taken
        _ => Math.Exp(-Square(Norm(angle, norm, spacing))),
    };

    /// <summary>GLRLM's weight W = ‖offset · spacing‖ for the weighted norms, 1 for <c>no_weighting</c>.</summary>
    public static double GlrlmWeight(Direction angle, WeightingNorm norm, Vec3 spacing) => Norm(angle, norm, spacing);

    private static double Norm(Direction angle, WeightingNorm norm, Vec3 spacing)
    {
        double x = Math.Abs(angle.Dx) * spacing.X, y = Math.Abs(angle.Dy) * spacing.Y, z = Math.Abs(angle.Dz) * spacing.Z;
        return norm switch
        {
            WeightingNorm.Manhattan => x + y + z,
            WeightingNorm.Euclidean => Math.Sqrt(SquaredLengths(angle, spacing)),
            WeightingNorm.Infinity => Math.Max(x, Math.Max(y, z)),
            WeightingNorm.NoWeighting => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(norm), norm, "weightingNorm null averages features instead of weighting matrices"),
        };
    }

    private static double SquaredLengths(Direction angle, Vec3 spacing) =>
        Square(angle.Dx * spacing.X) + Square(angle.Dy * spacing.Y) + Square(angle.Dz * spacing.Z);

    private static double Square(double v) => v * v;

    /// <summary>
    /// Whether some line of voxels along <paramref name="angle"/> holds two or more ROI voxels (not necessarily adjacent).
    /// PyRadiomics' GLRLM zeroes an angle without such a line (its runs would all be single voxels of separate lines).
    /// Almost always two ROI voxels are adjacent along the angle, which answers at once; otherwise the voxels are
    /// grouped by line: the line through v is identified by its point whose coordinate along the angle's first moving
    /// axis is 0.
    /// </summary>
    public static bool HasLineWithTwoVoxels(TextureVolume volume, Direction angle)
    {
        var levels = volume.Levels;
        int offset = angle.Offset(volume);
        foreach (int v in volume.RoiVoxels)
            if (levels[v + offset] != 0) return true;
        var lines = new HashSet<(int, int, int)>();
        foreach (int v in volume.RoiVoxels)
        {
            int x = v % volume.Nx, y = v / volume.Nx % volume.Ny, z = v / volume.SliceSize;
            int t = angle.Dx != 0 ? x * angle.Dx : angle.Dy != 0 ? y * angle.Dy : z * angle.Dz; // angle components are 0 or ±1
            if (!lines.Add((x - t * angle.Dx, y - t * angle.Dy, z - t * angle.Dz))) return true;
        }
        return false;
    }

    /// <summary>
    /// A directional family's features (GLCM, GLRLM) over <paramref name="angles"/>: averaged over the non-empty angles
    /// when <paramref name="weight"/> is null (<c>weightingNorm</c> null), else on the sum of the angles' matrices each
    /// multiplied by its weight. Appended with <paramref name="aggregation"/>.
    /// </summary>
    public static void Compute<TStatistics>(TextureVolume volume, IDirectionalFamily<TStatistics> family, IReadOnlyList<Direction> angles,
        Func<Direction, double>? weight, string aggregation, List<Feature> output) where TStatistics : class
    {
        int length = family.MatrixLength;
        var features = family.Features;
        var mean = new FeatureMean(features.Count);
        var values = new double[features.Count];
        var weighted = new double[length];
        // Matrices are counted in batches (in parallel for large ROIs) and used in angle order: memory stays at one matrix
        // per core however many angles large distances give, and the sums do not depend on the thread schedule.
        bool parallel = volume.VoxelCount >= TextureParallel.MinVoxels;
        var batch = new long[parallel ? Environment.ProcessorCount : 1][];
        for (int b = 0; b < batch.Length; b++) batch[b] = new long[length];
        for (int first = 0; first < angles.Count; first += batch.Length)
        {
            int count = Math.Min(batch.Length, angles.Count - first);
            TextureParallel.For(count, parallel, () => 0, (b, _) =>
            {
                Array.Clear(batch[b]);
                family.Count(volume.RoiVoxels, angles[first + b].Offset(volume), batch[b]);
            }, _ => { });
            for (int b = 0; b < count; b++)
            {
                var matrix = batch[b];
                if (weight is not null)
                {
                    double w = weight(angles[first + b]);
                    for (int k = 0; k < length; k++) weighted[k] += w * matrix[k];
                }
                else if (family.Statistics(matrix) is { } statistics)
                {
                    TextureOutput.Evaluate(features, statistics, values);
                    mean.Add(values);
                }
            }
        }
        if (weight is null) TextureOutput.Emit(features, aggregation, mean.Values(), output);
        else TextureOutput.Emit(features, aggregation, family.Statistics(weighted), output);
    }
}
