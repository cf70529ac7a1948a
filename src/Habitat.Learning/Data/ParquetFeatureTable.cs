using System.Globalization;
using Parquet.Serialization;

namespace Habitat.Learning.Data;

/// <summary>Reads a feature table stored as Parquet: a case-id column and numeric feature columns.</summary>
internal static class ParquetFeatureTable
{
    public static FeatureTable Read(string path, string? requestedIdColumn, IReadOnlyCollection<string> ignoredColumns)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        DeserializationResult<Dictionary<string, object>> content;
        try
        {
            using var stream = File.OpenRead(path);
            content = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.Message})", e);
        }
        var names = content.Schema.GetDataFields().Select(f => f.Name).ToArray();
        var idColumn = FeatureTable.IdColumn(names, requestedIdColumn);
        if (!names.Contains(idColumn)) throw new InvalidDataException($"{path}: no column '{idColumn}' (columns: {string.Join(", ", names)})");
        var hashInColumn = names.Contains(FeatureTable.SettingsHashColumn);
        var featureNames = names.Where(n => n != idColumn && n != FeatureTable.SettingsHashColumn && !ignoredColumns.Contains(n)).ToArray();
        var rows = content.Data;
        var ids = new string[rows.Count];
        var matrix = new FeatureMatrix(rows.Count, featureNames.Length);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            ids[i] = Convert.ToString(row.GetValueOrDefault(idColumn), CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (hashInColumn) hashes.Add(Convert.ToString(row.GetValueOrDefault(FeatureTable.SettingsHashColumn), CultureInfo.InvariantCulture) ?? "");
            for (int j = 0; j < featureNames.Length; j++)
            {
                var value = row.GetValueOrDefault(featureNames[j]);
                double v = value switch
                {
                    double d => d,
                    float f => f,
                    int n => n,
                    long n => n,
                    short n => n,
                    byte n => n,
                    decimal m => (double)m,
                    null => double.NaN, // a missing value, as an empty CSV cell
                    _ => double.PositiveInfinity,
                };
                if (double.IsInfinity(v))
                    throw new InvalidDataException($"{path}: feature '{featureNames[j]}' is not numeric (row {i + 1}: '{value ?? "null"}')");
                matrix[i, j] = v;
            }
        }
        string? hash = content.CustomMetadata?.GetValueOrDefault(FeatureTable.SettingsHashColumn);
        if (hashInColumn) hash = FeatureTable.SingleHash(path, hashes);
        return new FeatureTable(path, ids, featureNames, matrix, hash);
    }
}
