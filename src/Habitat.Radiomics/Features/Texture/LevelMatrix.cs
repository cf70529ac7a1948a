using System.Numerics;
using System.Numerics.Tensors;

namespace Habitat.Radiomics.Features.Texture;

/// <summary>
/// A dense count matrix whose rows are compact grey levels (row 0 unused) and whose columns stand for a second
/// index j: run length (GLRLM), zone size (GLSZM), distance to the ROI edge (GLDZM) or dependence count (NGLDM).
/// <see cref="ColumnValue"/> gives each column's j, so that sparse j (zone sizes) can be stored compactly.
/// </summary>
internal sealed class LevelMatrix
{
    public long[] Counts { get; }
    public int Rows { get; }
    public int[] ColumnValue { get; }
    public int Columns => ColumnValue.Length;

    public LevelMatrix(int rows, int[] columnValue)
    {
        Rows = rows;
        ColumnValue = columnValue;
        Counts = new long[(long)rows * columnValue.Length];
    }

    /// <summary>A matrix whose column j holds index value j (0…<paramref name="maxIndex"/>; column 0 stays empty).</summary>
    public static LevelMatrix WithIndexColumns(int rows, int maxIndex) => new(rows, Enumerable.Range(0, maxIndex + 1).ToArray());

    public ref long this[int row, int column] => ref Counts[row * Columns + column];

    /// <summary>Adds <paramref name="other"/>'s counts (same shape) element by element: IBSI matrix merging.</summary>
    public void Add(LevelMatrix other) => TensorPrimitives.Add(Counts, other.Counts, Counts);

    public void Clear() => Array.Clear(Counts);
}

/// <summary>
/// The sums over a <see cref="LevelMatrix"/> from which the 16–17 features of GLRLM, GLSZM, GLDZM and NGLDM follow,
/// computed once per matrix. IBSI writes the element s_ij (or r_ij, d_ij) for grey level i and second index j,
/// N_s for the sum of all elements and N_v for the number of voxels behind the matrix; "size" below means j.
/// </summary>
internal sealed class LevelMatrixStatistics
{
    public double Count { get; private init; }
    public double VoxelCount { get; private init; }
    public double SmallEmphasis { get; private init; }
    public double LargeEmphasis { get; private init; }
    public double LowGreyEmphasis { get; private init; }
    public double HighGreyEmphasis { get; private init; }
    public double SmallLowGreyEmphasis { get; private init; }
    public double SmallHighGreyEmphasis { get; private init; }
    public double LargeLowGreyEmphasis { get; private init; }
    public double LargeHighGreyEmphasis { get; private init; }
    public double GreyNonUniformity { get; private init; }
    public double GreyNonUniformityNormalised => GreyNonUniformity / Count;
    public double SizeNonUniformity { get; private init; }
    public double SizeNonUniformityNormalised => SizeNonUniformity / Count;
    public double Percentage => Count / VoxelCount;
    public double GreyVariance { get; private init; }
    public double SizeVariance { get; private init; }
    public double Entropy { get; private init; }
    public double Energy { get; private init; }

    /// <summary>The statistics of <paramref name="matrix"/>, or null when it holds no counts.</summary>
    /// <param name="greyLevel">Grey level of each compact row.</param>
    /// <param name="voxelCount">N_v, the number of voxels the (possibly merged) matrix was built from.</param>
    public static LevelMatrixStatistics? Compute(LevelMatrix matrix, ReadOnlySpan<int> greyLevel, double voxelCount) =>
        Compute(matrix.Counts, matrix.ColumnValue, greyLevel, voxelCount);

    /// <summary>The same for a flattened matrix of <c>greyLevel.Length</c> rows and <c>columnValue.Length</c> columns.</summary>
    public static LevelMatrixStatistics? Compute(ReadOnlySpan<long> counts, ReadOnlySpan<int> columnValue, ReadOnlySpan<int> greyLevel, double voxelCount) =>
        Compute<long>(counts, columnValue, greyLevel, voxelCount);

    /// <summary>The same for counts (<see langword="long"/>) or a weighted sum of matrices (<see langword="double"/>, PyRadiomics' <c>weightingNorm</c>).</summary>
    public static LevelMatrixStatistics? Compute<T>(ReadOnlySpan<T> counts, ReadOnlySpan<int> columnValue, ReadOnlySpan<int> greyLevel, double voxelCount)
        where T : unmanaged, INumber<T>
    {
        int rows = greyLevel.Length, stride = columnValue.Length;
        // Columns after the last one holding a count (e.g. runs longer than any in the ROI) add nothing: skip them.
        int columns = 1;
        for (int r = 1; r < rows; r++) columns = Math.Max(columns, counts.Slice(r * stride, stride).LastIndexOfAnyExcept(T.Zero) + 1);
        Span<double> rowSum = rows <= 1024 ? stackalloc double[rows] : new double[rows];
        var columnSum = new double[columns];
        rowSum.Clear();
        double total = 0, sumI = 0, sumJ = 0, small = 0, large = 0, lowGrey = 0, highGrey = 0;
        double smallLow = 0, smallHigh = 0, largeLow = 0, largeHigh = 0, countLogCount = 0, squares = 0;
        for (int r = 1; r < rows; r++)
        {
            double i = greyLevel[r], i2 = i * i, inverseI2 = 1 / i2;
            int rowStart = r * stride;
            double rowTotal = 0, rowSmall = 0, rowLarge = 0;
            for (int c = 1; c < columns; c++)
            {
                T n = counts[rowStart + c];
                if (n == T.Zero) continue;
                double s = double.CreateTruncating(n), j = columnValue[c], j2 = j * j;
                rowTotal += s;
                columnSum[c] += s;
                sumJ += j * s;
                rowSmall += s / j2;
                rowLarge += s * j2;
                countLogCount += CountLog.TimesLog2(n);
                squares += s * s;
            }
            // The grey level factors are constant along a row.
            rowSum[r] = rowTotal;
            total += rowTotal;
            sumI += i * rowTotal;
            small += rowSmall;
            large += rowLarge;
            lowGrey += rowTotal * inverseI2;
            highGrey += rowTotal * i2;
            smallLow += rowSmall * inverseI2;
            smallHigh += rowSmall * i2;
            largeLow += rowLarge * inverseI2;
            largeHigh += rowLarge * i2;
        }
        if (total == 0) return null;

        double meanI = sumI / total, meanJ = sumJ / total, varianceI = 0, varianceJ = 0;
        for (int r = 1; r < rows; r++)
        {
            int rowStart = r * stride;
            double di = greyLevel[r] - meanI;
            for (int c = 1; c < columns; c++)
            {
                T n = counts[rowStart + c];
                if (n == T.Zero) continue;
                double s = double.CreateTruncating(n), dj = columnValue[c] - meanJ;
                varianceI += s * di * di;
                varianceJ += s * dj * dj;
            }
        }

        double rowSquares = 0, columnSquares = 0;
        foreach (var s in rowSum) rowSquares += s * s;
        foreach (var s in columnSum) columnSquares += s * s;
        return new LevelMatrixStatistics
        {
            Count = total,
            VoxelCount = voxelCount,
            SmallEmphasis = small / total,
            LargeEmphasis = large / total,
            LowGreyEmphasis = lowGrey / total,
            HighGreyEmphasis = highGrey / total,
            SmallLowGreyEmphasis = smallLow / total,
            SmallHighGreyEmphasis = smallHigh / total,
            LargeLowGreyEmphasis = largeLow / total,
            LargeHighGreyEmphasis = largeHigh / total,
            GreyNonUniformity = rowSquares / total,
            SizeNonUniformity = columnSquares / total,
            GreyVariance = varianceI / total,
            SizeVariance = varianceJ / total,
            // −Σ p log2 p with p = s/N_s, rearranged to need one logarithm per element: log2 N_s − Σ s log2 s / N_s.
            Entropy = Math.Log2(total) - countLogCount / total,
            Energy = squares / (total * total),
        };
    }
}
