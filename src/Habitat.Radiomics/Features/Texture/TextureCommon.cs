using System.Numerics;
using System.Numerics.Tensors;

namespace Habitat.Radiomics.Features.Texture;

/// <summary>A step between neighbouring voxels in (x, y, z) index units.</summary>
internal readonly record struct Direction(int Dx, int Dy, int Dz)
{
    /// <summary>IBSI in-plane direction vectors (2-D): (1,0,0), (1,1,0), (0,1,0), (−1,1,0).</summary>
    public static IReadOnlyList<Direction> InPlane { get; } = [new(1, 0, 0), new(1, 1, 0), new(0, 1, 0), new(-1, 1, 0)];

    /// <summary>The other 9 of the 13 IBSI 3-D direction vectors (those leaving the slice).</summary>
    public static IReadOnlyList<Direction> OutOfPlane { get; } =
    [
        new(0, 0, 1), new(0, 1, 1), new(0, 1, -1), new(1, 0, 1), new(1, 0, -1),
        new(1, 1, 1), new(1, 1, -1), new(1, -1, 1), new(1, -1, -1),
    ];

    public Direction Scaled(int distance) => new(Dx * distance, Dy * distance, Dz * distance);

    public int Offset(TextureVolume volume) => volume.Offset(Dx, Dy, Dz);
}

/// <summary>One feature of a texture family: its IBSI tag and code, and how it follows from the family's matrix statistics.</summary>
internal sealed record TextureFeature<TStatistics>(string Tag, string Code, Func<TStatistics, double> Value);

/// <summary>Mean of per-matrix feature values (the "averaged" aggregations); matrices that are empty are not counted.</summary>
internal sealed class FeatureMean(int featureCount)
{
    private readonly double[] _sum = new double[featureCount];
    private int _count;

    public void Add(ReadOnlySpan<double> values)
    {
        TensorPrimitives.Add(_sum, values, _sum);
        _count++;
    }

    public void Add(FeatureMean other)
    {
        TensorPrimitives.Add(_sum, other._sum, _sum);
        _count += other._count;
    }

    /// <summary>The mean values, NaN when no matrix had any count (the feature is undefined for this ROI).</summary>
    public double[] Values()
    {
        var mean = new double[_sum.Length];
        if (_count == 0) Array.Fill(mean, double.NaN);
        else TensorPrimitives.Divide(_sum, _count, mean);
        return mean;
    }
}

internal static class TextureOutput
{
    /// <summary>Evaluates every feature of a family on one matrix's statistics.</summary>
    public static void Evaluate<TStatistics>(IReadOnlyList<TextureFeature<TStatistics>> features, TStatistics statistics, Span<double> values)
    {
        for (int f = 0; f < features.Count; f++) values[f] = features[f].Value(statistics);
    }

    /// <summary>Appends one aggregation's values, NaN for all when <paramref name="statistics"/> is null (empty matrix).</summary>
    public static void Emit<TStatistics>(IReadOnlyList<TextureFeature<TStatistics>> features, string aggregation, TStatistics? statistics, List<Feature> output)
        where TStatistics : class
    {
        foreach (var feature in features)
            output.Add(new Feature(feature.Tag, feature.Code, aggregation, statistics is null ? double.NaN : feature.Value(statistics)));
    }

    public static void Emit<TStatistics>(IReadOnlyList<TextureFeature<TStatistics>> features, string aggregation, ReadOnlySpan<double> values, List<Feature> output)
    {
        for (int f = 0; f < features.Count; f++) output.Add(new Feature(features[f].Tag, features[f].Code, aggregation, values[f]));
    }
}

/// <summary>Runs work items in parallel only when the ROI is large enough for it to pay (2 cores shared by many).</summary>
internal static class TextureParallel
{
    /// <summary>Below this many ROI voxels thread start-up costs more than it saves.</summary>
    public const int MinVoxels = 40_000;

    /// <summary>How many runs of consecutive work items a parallel loop is cut into: fixed, not the machine's core count,
    /// so that the result does not depend on the machine.</summary>
    public const int Blocks = 16;

    /// <summary>
    /// Calls <paramref name="body"/> for 0…<paramref name="count"/>−1; every state from <paramref name="init"/> is passed
    /// to <paramref name="merge"/> once, one at a time. In parallel the items are cut into at most <see cref="Blocks"/>
    /// runs of consecutive items, each with its own state, and the states are merged in item order as soon as their
    /// predecessors are: floating-point sums over states (NGTDM's s_i, means over slices) then add up in the same order
    /// on every run, whatever the thread scheduling, so re-running an extraction gives the same bits.
    /// </summary>
    public static void For<TState>(int count, bool parallel, Func<TState> init, Action<int, TState> body, Action<TState> merge)
    {
        if (!parallel || count < 2)
        {
            var state = init();
            for (int i = 0; i < count; i++) body(i, state);
            merge(state);
            return;
        }
        int blocks = Math.Min(count, Blocks);
        var finished = new TState[blocks];
        var ready = new bool[blocks];
        int next = -1, merged = 0;
        var gate = new object();
        Parallel.For(0, Math.Min(blocks, Environment.ProcessorCount), _ =>
        {
            for (int b; (b = Interlocked.Increment(ref next)) < blocks;)
            {
                var state = init();
                for (int i = (int)((long)b * count / blocks), end = (int)((long)(b + 1) * count / blocks); i < end; i++) body(i, state);
                lock (gate)
                {
                    (finished[b], ready[b]) = (state, true);
                    for (; merged < blocks && ready[merged]; merged++)
                    {
                        merge(finished[merged]);
                        finished[merged] = default!;
                    }
                }
            }
        });
    }
}

/// <summary>c·log2(c) for integer counts, from a table for small counts: entropies of count matrices need one per element.</summary>
internal static class CountLog
{
    private static readonly double[] Table = BuildTable(4096);

    private static double[] BuildTable(int size)
    {
        var table = new double[size];
        for (int c = 1; c < size; c++) table[c] = c * Math.Log2(c);
        return table;
    }

    public static double TimesLog2(long count) => (ulong)count < (ulong)Table.Length ? Table[count] : count * Math.Log2(count);

    /// <summary>c log2 c of an integer count (tabulated) or of a real-valued (weighted) count.</summary>
    public static double TimesLog2<T>(T count) where T : INumber<T> =>
        typeof(T) == typeof(long) ? TimesLog2(long.CreateTruncating(count)) : double.CreateTruncating(count) * Math.Log2(double.CreateTruncating(count));
}
