using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Habitat.Cli.Batch;

/// <summary>
/// Converts the CSV journal of a batch run to Parquet (temp file in the same folder, then moved over the target):
/// the leading (key and run) columns and those the plan calls text as text, the others as nullable doubles, in row groups of
/// <see cref="RowGroupSize"/> rows so that memory stays bounded.
/// </summary>
internal static class ParquetOutput
{
    public const int RowGroupSize = 512;

    public static void Write(string journal, string path, int leadingColumns, Func<string, bool> isTextColumn)
    {
        if (!File.Exists(journal)) return;
        using var reader = new StreamReader(journal);
        if (reader.ReadLine() is not { } headerLine) return;
        var header = CsvText.Split(headerLine);
        var isText = header.Select((name, i) => i < leadingColumns || isTextColumn(name)).ToArray();
        var fields = header.Select((name, i) => isText[i] ? (DataField)new DataField<string>(name) : new DataField<double?>(name)).ToArray();
        var schema = new ParquetSchema(fields);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
            var rows = new List<List<string>>(RowGroupSize);
            void Flush()
            {
                if (rows.Count == 0) return;
                using var group = writer.CreateRowGroup();
                for (int c = 0; c < header.Count; c++)
                {
                    if (isText[c]) group.WriteAsync(fields[c], rows.Select(r => r[c]).ToArray()).GetAwaiter().GetResult();
                    else
                    {
                        var values = rows.Select(r => r[c].Length == 0 ? (double?)null : double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray();
                        group.WriteAsync<double>(fields[c], new ReadOnlyMemory<double?>(values)).GetAwaiter().GetResult();
                    }
                }
                rows.Clear();
            }
            for (string? line; (line = reader.ReadLine()) is not null;)
            {
                rows.Add(CsvText.Split(line));
                if (rows.Count == RowGroupSize) Flush();
            }
            Flush();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        File.Move(temp, path, overwrite: true);
    }
}
