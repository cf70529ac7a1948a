using static Habitat.Radiomics.Features.TextureAggregation;

namespace Habitat.Radiomics.Features.Texture;

/// <summary>A texture family with one matrix per direction vector (GLCM, GLRLM).</summary>
internal interface IDirectionalFamily<TStatistics> where TStatistics : class
{
    IReadOnlyList<TextureFeature<TStatistics>> Features { get; }

    /// <summary>Length of one matrix (flattened).</summary>
    int MatrixLength { get; }

    /// <summary>Adds to <paramref name="matrix"/> the counts of <paramref name="voxels"/> along the neighbour at <paramref name="offset"/>.</summary>
    void Count(ReadOnlySpan<int> voxels, int offset, Span<long> matrix);

    /// <summary>Statistics of a (possibly merged) matrix, null when it holds no counts.</summary>
    TStatistics? Statistics(ReadOnlySpan<long> matrix);

    /// <summary>Statistics of a weighted sum of matrices (PyRadiomics' <c>weightingNorm</c>), null when it is all zero.</summary>
    TStatistics? Statistics(ReadOnlySpan<double> weightedMatrix);
}

/// <summary>
/// The six IBSI aggregation methods of directional families, built so that every directional matrix is counted once:
/// each slice's in-plane matrices feed "2D, averaged" and "2D, slice-merged" and are summed per direction, which gives
/// "2.5D, direction-merged", "2.5D, merged" and also the 3-D matrices of the 4 in-plane directions (a 3-D in-plane
/// direction never crosses slices); only the 9 out-of-plane directions need another pass. Merging sums counts;
/// averaging takes the mean over the non-empty matrices (a slice or direction without any count has no value).
/// </summary>
internal static class DirectionalAggregation
{
    public static void Compute<TStatistics>(TextureVolume volume, IDirectionalFamily<TStatistics> family, int step,
        TextureOptions options, List<Feature> output) where TStatistics : class
    {
        bool averaged2D = options.Computes(TwoDAveraged), sliceMerged = options.Computes(TwoDSliceMerged);
        bool directionMerged = options.Computes(TwoPointFiveDDirectionMerged), merged25D = options.Computes(TwoPointFiveDMerged);
        bool averaged3D = options.Computes(ThreeDAveraged), merged3D = options.Computes(ThreeDMerged);
        bool planar = averaged2D || sliceMerged || directionMerged || merged25D, volumetric = averaged3D || merged3D;
        if (!planar && !volumetric) return;

        var features = family.Features;
        int length = family.MatrixLength;
        bool parallel = volume.VoxelCount >= TextureParallel.MinVoxels;
        int[] inPlaneOffsets = Direction.InPlane.Select(d => d.Scaled(step).Offset(volume)).ToArray();

        // Per in-plane direction, the sum over slices (2.5D direction matrices = 3-D matrices of in-plane directions).
        var inPlaneTotals = new long[inPlaneOffsets.Length][];
        if (planar)
        {
            var averaged = new FeatureMean(features.Count);
            var perSlice = new FeatureMean(features.Count);
            for (int d = 0; d < inPlaneTotals.Length; d++) inPlaneTotals[d] = new long[length];
            TextureParallel.For(volume.Nz, parallel,
                () => new SliceState(inPlaneOffsets.Length, length, features.Count),
                (k, state) =>
                {
                    var voxels = volume.SliceVoxels(k);
                    if (voxels.IsEmpty) return;
                    if (sliceMerged) Array.Clear(state.SliceMatrix);
                    for (int d = 0; d < inPlaneOffsets.Length; d++)
                    {
                        var matrix = state.Matrix;
                        Array.Clear(matrix);
                        family.Count(voxels, inPlaneOffsets[d], matrix);
                        if (averaged2D && family.Statistics(matrix) is { } statistics)
                        {
                            TextureOutput.Evaluate(features, statistics, state.Values);
                            state.Averaged.Add(state.Values);
                        }
                        if (sliceMerged) AddInto(state.SliceMatrix, matrix);
                        AddInto(state.DirectionTotals[d], matrix);
                    }
                    if (sliceMerged && family.Statistics(state.SliceMatrix) is { } merged)
                    {
                        TextureOutput.Evaluate(features, merged, state.Values);
                        state.PerSlice.Add(state.Values);
                    }
                },
                state =>
                {
                    averaged.Add(state.Averaged);
                    perSlice.Add(state.PerSlice);
                    for (int d = 0; d < inPlaneTotals.Length; d++) AddInto(inPlaneTotals[d], state.DirectionTotals[d]);
                });

            if (averaged2D) TextureOutput.Emit(features, TwoDAveraged, averaged.Values(), output);
            if (sliceMerged) TextureOutput.Emit(features, TwoDSliceMerged, perSlice.Values(), output);
            if (directionMerged) TextureOutput.Emit(features, TwoPointFiveDDirectionMerged, MeanOver(family, inPlaneTotals), output);
            if (merged25D) TextureOutput.Emit(features, TwoPointFiveDMerged, family.Statistics(Sum(inPlaneTotals, length)), output);
        }
        if (!volumetric) return;

        // 3-D: the in-plane totals (when the slices were not visited, counted over the whole volume) and the out-of-plane directions.
        var volumeOffsets = Direction.OutOfPlane.Select(d => d.Scaled(step).Offset(volume));
        if (!planar) volumeOffsets = inPlaneOffsets.Concat(volumeOffsets);
        var offsets = volumeOffsets.ToArray();
        var volumeMatrices = new long[offsets.Length][];
        TextureParallel.For(offsets.Length, parallel, () => 0, (d, _) =>
        {
            volumeMatrices[d] = new long[length];
            family.Count(volume.RoiVoxels, offsets[d], volumeMatrices[d]);
        }, _ => { });
        var directions = planar ? inPlaneTotals.Concat(volumeMatrices).ToArray() : volumeMatrices;
        if (averaged3D) TextureOutput.Emit(features, ThreeDAveraged, MeanOver(family, directions), output);
        if (merged3D) TextureOutput.Emit(features, ThreeDMerged, family.Statistics(Sum(directions, length)), output);
    }

    private static double[] MeanOver<TStatistics>(IDirectionalFamily<TStatistics> family, long[][] matrices) where TStatistics : class
    {
        var mean = new FeatureMean(family.Features.Count);
        var values = new double[family.Features.Count];
        foreach (var matrix in matrices)
            if (family.Statistics(matrix) is { } statistics)
            {
                TextureOutput.Evaluate(family.Features, statistics, values);
                mean.Add(values);
            }
        return mean.Values();
    }

    private static long[] Sum(long[][] matrices, int length)
    {
        var sum = new long[length];
        foreach (var matrix in matrices) AddInto(sum, matrix);
        return sum;
    }

    private static void AddInto(long[] into, long[] add) => System.Numerics.Tensors.TensorPrimitives.Add(into, add, into);

    /// <summary>Scratch and partial results of one worker visiting slices.</summary>
    private sealed class SliceState(int directions, int length, int featureCount)
    {
        public readonly long[] Matrix = new long[length];
        public readonly long[] SliceMatrix = new long[length];
        public readonly long[][] DirectionTotals = Enumerable.Range(0, directions).Select(_ => new long[length]).ToArray();
        public readonly double[] Values = new double[featureCount];
        public readonly FeatureMean Averaged = new(featureCount);
        public readonly FeatureMean PerSlice = new(featureCount);
    }
}
