namespace Habitat.Learning.Data;

/// <summary>
/// A feature table as <c>habitat extract</c> writes it: one row per case, a case-id column, and numeric feature
/// columns. Columns listed as ignored (e.g. image paths) are skipped; every other column must be numeric, with
/// empty or NaN cells read as missing values (NaN): they are refused only where a model needs them.
/// The hash of the extraction settings travels in a <c>settings_hash</c> column (one value for all rows) or, in
/// Parquet, also as file metadata under that key.
/// </summary>
public sealed class FeatureTable
{
    public string Source { get; }
    public IReadOnlyList<string> CaseIds { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public FeatureMatrix Values { get; }
    /// <summary>Hash of the feature-extraction settings, when the table records it.</summary>
    public string? SettingsHash { get; }
    public const string SettingsHashColumn = "settings_hash";
    public const string CohortIdColumn = "case_id";
    public const string WideTableIdColumn = "id";
    internal IReadOnlyDictionary<string, int> RowOf { get; }

    public FeatureTable(string source, IReadOnlyList<string> caseIds, IReadOnlyList<string> featureNames, FeatureMatrix values, string? settingsHash = null)
    {
        CohortTable.CheckIds(source, caseIds);
        if (values.Rows != caseIds.Count || values.Columns != featureNames.Count) throw new ArgumentException("feature table shape mismatch");
        Source = source; CaseIds = caseIds; FeatureNames = featureNames; Values = values; SettingsHash = settingsHash;
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < caseIds.Count; i++) rowOf[caseIds[i]] = i;
        RowOf = rowOf;
    }

    /// <summary>Reads a <c>.csv</c> or <c>.parquet</c> feature table.</summary>
    /// <summary>
    /// Reads a CSV or Parquet feature table. Without <paramref name="idColumn"/> the case id is the column
    /// <c>case_id</c> (cohort tables) or, when there is none, <c>id</c> (the first column of the wide tables
    /// <c>habitat extract</c> writes), so extraction output feeds train/validate/predict as it is.
    /// </summary>
    public static FeatureTable Read(string path, string? idColumn = null, IReadOnlyCollection<string>? ignoredColumns = null)
    {
        ignoredColumns ??= [];
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return ParquetFeatureTable.Read(path, idColumn, ignoredColumns);
        return FromCsv(CsvTable.Read(path), idColumn, ignoredColumns);
    }

    public static FeatureTable FromCsv(CsvTable table, string? idColumn, IReadOnlyCollection<string> ignoredColumns)
    {
        int id = table.Column(IdColumn(table.Header, idColumn));
        var ids = table.Rows.Select(r => r[id].Trim()).ToArray();
        var columns = Enumerable.Range(0, table.Header.Count)
            .Where(c => c != id && table.Header[c] != SettingsHashColumn && !ignoredColumns.Contains(table.Header[c])).ToArray();
        var matrix = CohortTable.ReadNumeric(table, columns, Enumerable.Range(0, table.Rows.Count).ToArray());
        string? hash = null;
        if (table.HasColumn(SettingsHashColumn))
        {
            int h = table.Column(SettingsHashColumn);
            hash = SingleHash(table.Source, table.Rows.Select(r => r[h].Trim()).ToHashSet(StringComparer.Ordinal));
        }
        return new FeatureTable(table.Source, ids, columns.Select(c => table.Header[c]).ToArray(), matrix, hash);
    }

    internal static string IdColumn(IReadOnlyList<string> header, string? requested) =>
        requested ?? (header.Contains(CohortIdColumn) || !header.Contains(WideTableIdColumn) ? CohortIdColumn : WideTableIdColumn);

    internal static string? SingleHash(string source, IReadOnlySet<string> hashes)
    {
        if (hashes.Count > 1)
            throw new InvalidDataException($"{source}: rows were extracted with {hashes.Count} different settings ({SettingsHashColumn}: {CohortTable.Preview(hashes.ToArray())})");
        return hashes.Count == 1 && hashes.First().Length > 0 ? hashes.First() : null;
    }

    /// <summary>This table's columns rearranged to <paramref name="names"/>; throws naming the missing features.</summary>
    public FeatureMatrix ColumnsInOrder(IReadOnlyList<string> names)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < FeatureNames.Count; j++) index[FeatureNames[j]] = j;
        var missing = names.Where(n => !index.ContainsKey(n)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"{Source}: missing feature column(s): {CohortTable.Preview(missing)}");
        var selected = Values.SelectColumns(names.Select(n => index[n]).ToArray());
        for (int i = 0; i < selected.Rows; i++)
            for (int j = 0; j < selected.Columns; j++)
                if (double.IsNaN(selected[i, j]))
                    throw new InvalidDataException($"{Source}: case '{CaseIds[i]}' has no value for feature '{names[j]}', which the model needs");
        return selected;
    }
}
