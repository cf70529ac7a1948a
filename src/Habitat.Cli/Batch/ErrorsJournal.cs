using System.Text;

namespace Habitat.Cli.Batch;

/// <summary>
/// The errors file of a batch run: the key columns, <c>feature</c> (when single values can be missing; empty for a
/// case that failed as a whole) and <c>error</c>. Each case's lines are appended in one flushed write; <see cref="Rewrite"/>
/// keeps the cases asked for, in manifest order (a case's lines stay together and in their order), atomically.
/// </summary>
internal sealed class ErrorsJournal(BatchPlan plan, IReadOnlyDictionary<string, int> manifestLineOf)
{
    private readonly string _header = CsvText.Line([.. plan.KeyColumns, .. plan.RecordsMissingValues ? ["feature"] : Array.Empty<string>(), "error"]);

    public void Append(BatchCase c, IEnumerable<(string Feature, string Error)> entries)
    {
        var text = new StringBuilder();
        foreach (var (feature, error) in entries)
        {
            var message = error.ReplaceLineEndings(" ");
            text.Append(CsvText.Line(plan.RecordsMissingValues ? [.. c.Key, feature, message] : [.. c.Key, message])).Append('\n');
        }
        if (text.Length == 0) return;
        using var stream = new FileStream(plan.ErrorsPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        if (stream.Length == 0) text.Insert(0, _header + "\n");
        BatchExtraction.WriteLine(stream, text.ToString());
    }

    /// <summary>Rewrites the file with the lines of the cases <paramref name="keep"/> accepts, in manifest order;
    /// removes it when none remain. A torn last line and a file with another header are dropped.</summary>
    public void Rewrite(Func<string, bool> keep)
    {
        var path = plan.ErrorsPath;
        if (!File.Exists(path)) return;
        var blocks = new List<(int Line, int Order, long Start, long Length)>();
        using (var input = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            string? blockKey = null;
            bool headerSeen = false;
            foreach (var (start, length, text) in Lines(input))
            {
                if (!headerSeen)
                {
                    if (!SameLayout(text.TrimEnd('\r'))) break; // not this format: nothing to keep
                    headerSeen = true;
                    continue;
                }
                var fields = CsvText.Split(text.TrimEnd('\r'));
                if (fields.Count <= plan.KeyColumns.Count) continue;
                var key = BatchExtraction.KeyOf(fields.Take(plan.KeyColumns.Count));
                if (!keep(key)) { blockKey = null; continue; }
                if (key == blockKey && blocks[^1].Start + blocks[^1].Length == start)
                    blocks[^1] = blocks[^1] with { Length = blocks[^1].Length + length };
                else
                    blocks.Add((manifestLineOf.GetValueOrDefault(key), blocks.Count, start, length));
                blockKey = key;
            }
            if (blocks.Count > 0)
            {
                var temp = path + ".tmp";
                using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
                {
                    output.Write(Encoding.UTF8.GetBytes(_header + "\n"));
                    var buffer = new byte[81920];
                    foreach (var block in blocks.OrderBy(b => b.Line).ThenBy(b => b.Order))
                    {
                        input.Position = block.Start;
                        for (long left = block.Length; left > 0;)
                        {
                            int count = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                            output.Write(buffer, 0, count);
                            left -= count;
                        }
                    }
                    output.Flush(flushToDisk: true);
                }
                File.Move(temp, path, overwrite: true);
                return;
            }
        }
        File.Delete(path);
    }

    /// <summary>The header names the same columns; the message column's name is not compared (habitat tables written
    /// before the batch engine called it <c>reason</c>), so their reasons survive a resume.</summary>
    private bool SameLayout(string header)
    {
        var expected = CsvText.Split(_header);
        var found = CsvText.Split(header);
        return found.Count == expected.Count && found.Take(found.Count - 1).SequenceEqual(expected.Take(expected.Count - 1));
    }

    /// <summary>The complete lines of a stream (each ended by a line break) with their byte offset and length.</summary>
    private static IEnumerable<(long Start, long Length, string Text)> Lines(FileStream input)
    {
        var reader = new BufferedStream(input, 81920);
        var line = new MemoryStream();
        long start = 0, position = 0;
        for (int b; (b = reader.ReadByte()) >= 0;)
        {
            position++;
            if (b != '\n') { line.WriteByte((byte)b); continue; }
            yield return (start, position - start, Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
            line.SetLength(0);
            start = position;
        }
    }
}
