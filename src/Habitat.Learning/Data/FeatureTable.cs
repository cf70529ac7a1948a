namespace Habitat.Learning.Data;

/// <summary>
/// A feature table as <c>habitat extract</c> writes it: one row per case, a case-id column, and numeric feature
/// columns. Columns listed as ignored (e.g. image paths) are skipped; every other column must be numeric.
/// </summary>
public sealed class FeatureTable
{
    public string Source { get; }
    public IReadOnlyList<string> CaseIds { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public FeatureMatrix Values { get; }
    internal IReadOnlyDictionary<string, int> RowOf { get; }

    public FeatureTable(string source, IReadOnlyList<string> caseIds, IReadOnlyList<string> featureNames, FeatureMatrix values)
    {
        CohortTable.CheckIds(source, caseIds);
        if (values.Rows != caseIds.Count || values.Columns != featureNames.Count) throw new ArgumentException("feature table shape mismatch");
        Source = source; CaseIds = caseIds; FeatureNames = featureNames; Values = values;
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < caseIds.Count; i++) rowOf[caseIds[i]] = i;
        RowOf = rowOf;
    }

    /// <summary>Reads a CSV feature table.</summary>
    public static FeatureTable Read(string path, string idColumn = "case_id", IReadOnlyCollection<string>? ignoredColumns = null)
    {
        ignoredColumns ??= [];
        return FromCsv(CsvTable.Read(path), idColumn, ignoredColumns);
    }

    public static FeatureTable FromCsv(CsvTable table, string idColumn, IReadOnlyCollection<string> ignoredColumns)
    {
        int id = table.Column(idColumn);
        var ids = table.Rows.Select(r => r[id].Trim()).ToArray();
        var columns = Enumerable.Range(0, table.Header.Count).Where(c => c != id && !ignoredColumns.Contains(table.Header[c])).ToArray();
        var matrix = CohortTable.ReadNumeric(table, columns, Enumerable.Range(0, table.Rows.Count).ToArray());
        return new FeatureTable(table.Source, ids, columns.Select(c => table.Header[c]).ToArray(), matrix);
    }

    /// <summary>This table's columns rearranged to <paramref name="names"/>; throws naming the missing features.</summary>
    public FeatureMatrix ColumnsInOrder(IReadOnlyList<string> names)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < FeatureNames.Count; j++) index[FeatureNames[j]] = j;
        var missing = names.Where(n => !index.ContainsKey(n)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"{Source}: missing feature column(s): {CohortTable.Preview(missing)}");
        return Values.SelectColumns(names.Select(n => index[n]).ToArray());
    }
}
