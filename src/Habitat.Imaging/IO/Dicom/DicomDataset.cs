using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>One data element: its tag, VR and where its value lies in the dataset's buffer; a sequence
/// carries its items, encapsulated pixel data its fragments (the first one is the basic offset table).</summary>
public readonly record struct DicomElement(
    uint Tag, ushort Vr, int Offset, int Length,
    IReadOnlyList<DicomDataset>? Items = null, IReadOnlyList<DicomFragment>? Fragments = null)
{
    public bool IsSequence => Items is not null;
    public bool IsEncapsulated => Fragments is not null;
}

/// <summary>An item of encapsulated pixel data: its value's offset and length in the buffer.</summary>
public readonly record struct DicomFragment(int Offset, int Length);

/// <summary>
/// A parsed DICOM dataset (or sequence item). Values stay in the file's byte buffer and are decoded on
/// request; every accessor that finds a malformed value throws <see cref="ImageFormatException"/> naming
/// the file, the tag and its offset.
/// </summary>
public sealed class DicomDataset
{
    private readonly Dictionary<uint, DicomElement> _elements;

    internal DicomDataset(byte[] buffer, bool bigEndian, Encoding text, string source, Dictionary<uint, DicomElement> elements)
    {
        Buffer = buffer;
        BigEndian = bigEndian;
        Text = text;
        Source = source;
        _elements = elements;
    }

    internal static DicomDataset Empty(string source) => new([], false, Encoding.Latin1, source, []);

    internal byte[] Buffer { get; }
    internal bool BigEndian { get; }
    internal Encoding Text { get; }
    /// <summary>The file this dataset was read from (for messages).</summary>
    public string Source { get; }

    public bool Contains(uint tag) => _elements.ContainsKey(tag);
    public bool TryGet(uint tag, out DicomElement element) => _elements.TryGetValue(tag, out element);

    internal ReadOnlySpan<byte> ValueBytes(in DicomElement e) => Buffer.AsSpan(e.Offset, e.Length);

    internal ImageFormatException Error(in DicomElement e, string problem) =>
        new(Source, $"{DicomTags.Describe(e.Tag)} at offset {e.Offset}: {problem}");

    /// <summary>The text value with padding (trailing spaces and NULs, leading spaces) removed; null when absent.</summary>
    public string? GetString(uint tag)
    {
        if (!_elements.TryGetValue(tag, out var e) || e.IsSequence || e.IsEncapsulated) return null;
        return Text.GetString(ValueBytes(e)).Trim(' ', '\0');
    }

    /// <summary>All numeric values of an element, whether stored as text (DS, IS) or binary (US, SS, UL, SL,
    /// FL, FD); null when absent or empty. A value that is not a finite number is an error.</summary>
    public double[]? GetNumbers(uint tag)
    {
        if (!_elements.TryGetValue(tag, out var e) || e.Length == 0) return null;
        if (e.IsSequence || e.IsEncapsulated) throw Error(e, "expected a number, found a sequence");
        var bytes = ValueBytes(e);
        int width = e.Vr switch { DicomVr.US or DicomVr.SS => 2, DicomVr.UL or DicomVr.SL or DicomVr.FL => 4, DicomVr.FD => 8, _ => 0 };
        if (width == 0) return ParseDecimalText(e);
        if (bytes.Length % width != 0) throw Error(e, $"{bytes.Length} bytes is not a whole number of {DicomVr.Name(e.Vr)} values");
        var values = new double[bytes.Length / width];
        for (int n = 0; n < values.Length; n++)
        {
            var b = bytes.Slice(n * width, width);
            values[n] = e.Vr switch
            {
                DicomVr.US => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                DicomVr.SS => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
                DicomVr.UL => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                DicomVr.SL => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
                DicomVr.FL => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
                _ => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
            };
            if (!double.IsFinite(values[n])) throw Error(e, $"value {n + 1} is not finite");
        }
        return values;
    }

    private double[] ParseDecimalText(in DicomElement e)
    {
        var text = Text.GetString(ValueBytes(e)).Trim(' ', '\0');
        if (text.Length == 0) return [];
        var parts = text.Split('\\');
        var values = new double[parts.Length];
        for (int n = 0; n < parts.Length; n++)
        {
            var p = parts[n].Trim(' ', '\0');
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[n]) || !double.IsFinite(values[n]))
                throw Error(e, $"value '{Shorten(p)}' is not a number");
        }
        return values;
    }

    /// <summary>The first numeric value, or null when absent.</summary>
    public double? GetNumber(uint tag)
    {
        var values = GetNumbers(tag);
        return values is { Length: > 0 } ? values[0] : null;
    }

    /// <summary>The first value as an integer (IS text or binary integer); a fractional or out-of-range value is an error.</summary>
    public int? GetInt(uint tag)
    {
        var v = GetNumber(tag);
        if (v is null) return null;
        if (v != Math.Floor(v.Value) || v < int.MinValue || v > int.MaxValue)
        {
            _elements.TryGetValue(tag, out var e);
            throw Error(e, $"value {v.Value.ToString(CultureInfo.InvariantCulture)} is not an integer");
        }
        return (int)v.Value;
    }

    /// <summary>Exactly <paramref name="count"/> numeric values, or null when absent; another count is an error.</summary>
    public double[]? GetVector(uint tag, int count)
    {
        var values = GetNumbers(tag);
        if (values is null || values.Length == 0) return null;
        if (values.Length != count)
        {
            _elements.TryGetValue(tag, out var e);
            throw Error(e, $"expected {count} values, found {values.Length}");
        }
        return values;
    }

    /// <summary>The items of a sequence (empty when absent); an element that is not a sequence is an error.</summary>
    public IReadOnlyList<DicomDataset> GetSequence(uint tag)
    {
        if (!_elements.TryGetValue(tag, out var e) || e.Length == 0 && e.Items is null) return [];
        if (e.Items is null) throw Error(e, "expected a sequence");
        return e.Items;
    }

    /// <summary>The first item of a sequence, or null.</summary>
    public DicomDataset? GetItem(uint tag)
    {
        var items = GetSequence(tag);
        return items.Count > 0 ? items[0] : null;
    }

    private static string Shorten(string s) => s.Length <= 32 ? s : s[..32] + "…";
}
