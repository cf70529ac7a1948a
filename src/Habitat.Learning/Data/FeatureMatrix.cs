namespace Habitat.Learning.Data;

/// <summary>A dense row-major matrix of feature values: one row per case, one column per feature.</summary>
public sealed class FeatureMatrix
{
    public int Rows { get; }
    public int Columns { get; }
    /// <summary>Row-major values: element (r, c) is at <c>r * Columns + c</c>.</summary>
    public double[] Values { get; }

    public FeatureMatrix(int rows, int columns, double[]? values = null)
    {
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(rows), "matrix dimensions must be non-negative");
        values ??= new double[rows * columns];
        if (values.Length != rows * columns) throw new ArgumentException($"expected {rows * columns} values, got {values.Length}", nameof(values));
        Rows = rows; Columns = columns; Values = values;
    }

    public double this[int row, int column]
    {
        get => Values[row * Columns + column];
        set => Values[row * Columns + column] = value;
    }

    public Span<double> Row(int row) => Values.AsSpan(row * Columns, Columns);

    public double[] Column(int column)
    {
        var result = new double[Rows];
        for (int r = 0; r < Rows; r++) result[r] = Values[r * Columns + column];
        return result;
    }

    /// <summary>A copy holding the given rows, in the given order.</summary>
    public FeatureMatrix SelectRows(IReadOnlyList<int> rows)
    {
        var m = new FeatureMatrix(rows.Count, Columns);
        for (int i = 0; i < rows.Count; i++) Row(rows[i]).CopyTo(m.Row(i));
        return m;
    }

    /// <summary>A copy holding the given columns, in the given order.</summary>
    public FeatureMatrix SelectColumns(IReadOnlyList<int> columns)
    {
        var m = new FeatureMatrix(Rows, columns.Count);
        for (int r = 0; r < Rows; r++)
        {
            var src = Row(r); var dst = m.Row(r);
            for (int j = 0; j < columns.Count; j++) dst[j] = src[columns[j]];
        }
        return m;
    }

    public FeatureMatrix Clone() => new(Rows, Columns, (double[])Values.Clone());
}
