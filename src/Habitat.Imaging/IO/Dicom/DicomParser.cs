using System.Buffers.Binary;
using System.Text;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>
/// Parses data elements (PS3.5 §7) from a byte buffer in one encoding: explicit or implicit VR, little or
/// big endian; sequences and items of defined or undefined length with their delimiters; encapsulated
/// pixel data as fragments (PS3.5 §A.4). Every length is checked against the bytes that remain, and
/// nesting is bounded, so malformed input ends in <see cref="ImageFormatException"/>.
/// </summary>
internal sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFF_FFFF;
    /// <summary>Deeper nesting than this is not seen in real files; refusing it keeps recursion bounded.</summary>
    private const int MaxDepth = 32;

    private readonly byte[] _b;
    private readonly string _source;
    private readonly bool _explicitVr;
    private readonly bool _bigEndian;
    /// <summary>The buffer is only the start of the file: running off its end means "read more", not "truncated".</summary>
    private readonly bool _isPrefix;
    private Encoding _text;

    public DicomParser(byte[] buffer, string source, bool explicitVr, bool bigEndian, bool isPrefix, Encoding? text = null)
    {
        _b = buffer;
        _source = source;
        _explicitVr = explicitVr;
        _bigEndian = bigEndian;
        _isPrefix = isPrefix;
        _text = text ?? Encoding.Latin1;
    }

    /// <summary>Parses top-level elements from <paramref name="pos"/> to the end of the buffer, or up to the
    /// first element whose group differs from <paramref name="onlyGroup"/>, or (header-only) up to Pixel Data.</summary>
    public DicomDataset ParseTopLevel(ref int pos, bool stopAtPixelData, ushort? onlyGroup = null) =>
        ParseDataset(ref pos, _b.Length, untilItemDelimiter: false, depth: 0, stopAtPixelData, onlyGroup);

    private DicomDataset ParseDataset(ref int pos, int end, bool untilItemDelimiter, int depth, bool stopAtPixelData = false, ushort? onlyGroup = null)
    {
        var elements = new Dictionary<uint, DicomElement>();
        while (true)
        {
            if (pos >= end)
            {
                if (untilItemDelimiter) throw Truncated(pos, "an item of undefined length has no item delimiter");
                break;
            }
            if (onlyGroup is { } g && end - pos >= 2 && ReadUInt16(pos, littleEndian: true) != g) break;
            var (tag, vr, length, headerLength) = ReadHeader(pos, end);
            if (tag == DicomTags.ItemDelimitation)
            {
                if (!untilItemDelimiter) throw Error(pos, "item delimiter outside an item");
                pos += headerLength;
                break;
            }
            if (tag == DicomTags.SequenceDelimitation && untilItemDelimiter)
                break; // item without its delimiter: the sequence consumes the sequence delimiter
            if (tag >> 16 == 0xFFFE)
                throw Error(pos, $"unexpected {DicomTags.Describe(tag)} outside a sequence");
            int headerAt = pos;
            pos += headerLength;
            if (stopAtPixelData && depth == 0 && tag == DicomTags.PixelData)
            {
                elements.TryAdd(tag, new DicomElement(tag, vr, pos, length == UndefinedLength ? 0 : (int)Math.Min(length, int.MaxValue)));
                pos = end;
                break;
            }
            var element = ReadValue(tag, vr, length, headerAt, ref pos, end, depth);
            if (tag == DicomTags.SpecificCharacterSet && depth == 0)
                _text = CharacterSet(Encoding.ASCII.GetString(_b, element.Offset, element.Length));
            elements.TryAdd(tag, element);
        }
        return new DicomDataset(_b, _bigEndian, _text, _source, elements);
    }

    private (uint Tag, ushort Vr, uint Length, int HeaderLength) ReadHeader(int pos, int end)
    {
        if (end - pos < 8) throw Truncated(pos, "element header cut short");
        uint tag = (uint)ReadUInt16(pos) << 16 | ReadUInt16(pos + 2);
        if (tag >> 16 == 0xFFFE || !_explicitVr)
        {
            ushort implicitVr = tag >> 16 == 0xFFFE ? (ushort)0 : DicomTags.ImplicitVr(tag);
            return (tag, implicitVr, ReadUInt32(pos + 4), 8);
        }
        ushort vr = (ushort)(_b[pos + 4] << 8 | _b[pos + 5]);
        if (!DicomVr.IsKnown(vr))
            throw Error(pos, $"{DicomTags.Describe(tag)} has an invalid value representation '{DicomVr.Name(vr)}'");
        if (!DicomVr.HasLongLength(vr)) return (tag, vr, ReadUInt16(pos + 6), 8);
        if (end - pos < 12) throw Truncated(pos, "element header cut short");
        return (tag, vr, ReadUInt32(pos + 8), 12);
    }

    private DicomElement ReadValue(uint tag, ushort vr, uint length, int headerAt, ref int pos, int end, int depth)
    {
        if (length == UndefinedLength)
        {
            if (tag == DicomTags.PixelData)
                return new DicomElement(tag, vr, pos, 0, Fragments: ReadFragments(ref pos, end));
            if (vr == DicomVr.UN)
            {
                // PS3.5 §6.2.2: a UN element of undefined length holds a sequence encoded as implicit VR little endian.
                var implicitLe = new DicomParser(_b, _source, explicitVr: false, bigEndian: false, _isPrefix, _text);
                return new DicomElement(tag, DicomVr.SQ, pos, 0, implicitLe.ReadItems(ref pos, end, definedEnd: null, depth + 1));
            }
            if (vr != DicomVr.SQ)
                throw Error(headerAt, $"{DicomTags.Describe(tag)} has undefined length but VR {DicomVr.Name(vr)} is not a sequence");
            return new DicomElement(tag, vr, pos, 0, ReadItems(ref pos, end, definedEnd: null, depth + 1));
        }
        if (length > end - pos)
            throw Truncated(headerAt, $"{DicomTags.Describe(tag)} claims {length} bytes but only {end - pos} remain");
        int start = pos, valueEnd = pos + (int)length;
        IReadOnlyList<DicomDataset>? items = null;
        if (vr == DicomVr.SQ)
            items = ReadItems(ref pos, end, valueEnd, depth + 1);
        else if (!_explicitVr && vr == DicomVr.UN && length >= 8 && ReadUInt16(pos) == 0xFFFE && ReadUInt16(pos + 2) == 0xE000)
            items = TryReadUnknownSequence(pos, valueEnd, depth + 1);
        pos = valueEnd;
        return new DicomElement(tag, items is null ? vr : DicomVr.SQ, start, (int)length, items);
    }

    /// <summary>An implicit-VR element missing from the dictionary whose value starts with an item tag is
    /// almost surely a sequence; read it as one if it parses, else keep it as bytes.</summary>
    private IReadOnlyList<DicomDataset>? TryReadUnknownSequence(int pos, int end, int depth)
    {
        try { return ReadItems(ref pos, end, end, depth); }
        catch (ImageFormatException) { return null; }
    }

    /// <summary>Sequence items up to <paramref name="definedEnd"/>, or (undefined length) up to the sequence delimiter.</summary>
    private List<DicomDataset> ReadItems(ref int pos, int end, int? definedEnd, int depth)
    {
        if (depth > MaxDepth) throw Error(pos, $"sequences nested deeper than {MaxDepth} levels");
        var items = new List<DicomDataset>();
        int limit = definedEnd ?? end;
        while (true)
        {
            if (pos >= limit)
            {
                if (definedEnd is null) throw Truncated(pos, "a sequence of undefined length has no sequence delimiter");
                break;
            }
            if (limit - pos < 8) throw Truncated(pos, "item header cut short");
            uint tag = (uint)ReadUInt16(pos) << 16 | ReadUInt16(pos + 2);
            uint length = ReadUInt32(pos + 4);
            int headerAt = pos;
            pos += 8;
            if (tag == DicomTags.SequenceDelimitation)
            {
                if (definedEnd is null) break;
                continue; // stray delimiter inside a defined-length sequence: harmless
            }
            if (tag != DicomTags.Item)
                throw Error(headerAt, $"expected an item (FFFE,E000) in a sequence, found {DicomTags.Describe(tag)}");
            if (length == UndefinedLength)
            {
                items.Add(ParseDataset(ref pos, limit, untilItemDelimiter: true, depth));
                continue;
            }
            if (length > limit - pos) throw Truncated(headerAt, $"item claims {length} bytes but only {limit - pos} remain");
            int itemPos = pos, itemEnd = pos + (int)length;
            items.Add(ParseDataset(ref itemPos, itemEnd, untilItemDelimiter: false, depth));
            pos = itemEnd;
        }
        return items;
    }

    /// <summary>Encapsulated pixel data (PS3.5 §A.4): items holding the basic offset table, then the fragments.</summary>
    private List<DicomFragment> ReadFragments(ref int pos, int end)
    {
        var fragments = new List<DicomFragment>();
        while (true)
        {
            if (end - pos < 8) throw Truncated(pos, "encapsulated pixel data has no sequence delimiter");
            uint tag = (uint)ReadUInt16(pos) << 16 | ReadUInt16(pos + 2);
            uint length = ReadUInt32(pos + 4);
            if (tag == DicomTags.SequenceDelimitation) { pos += 8; break; }
            if (tag != DicomTags.Item)
                throw Error(pos, $"expected a pixel data fragment (FFFE,E000), found {DicomTags.Describe(tag)}");
            if (length > end - pos - 8) throw Truncated(pos, $"pixel data fragment claims {length} bytes but only {end - pos - 8} remain");
            fragments.Add(new DicomFragment(pos + 8, (int)length));
            pos += 8 + (int)length;
        }
        return fragments;
    }

    private static Encoding CharacterSet(string value) =>
        value.Contains("ISO_IR 192", StringComparison.Ordinal) ? Encoding.UTF8 : Encoding.Latin1;

    private ushort ReadUInt16(int pos, bool littleEndian = false) =>
        _bigEndian && !littleEndian ? BinaryPrimitives.ReadUInt16BigEndian(_b.AsSpan(pos, 2)) : BinaryPrimitives.ReadUInt16LittleEndian(_b.AsSpan(pos, 2));

    private uint ReadUInt32(int pos) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_b.AsSpan(pos, 4)) : BinaryPrimitives.ReadUInt32LittleEndian(_b.AsSpan(pos, 4));

    private ImageFormatException Error(int pos, string problem) => new(_source, $"{problem} (at offset {pos})");

    private Exception Truncated(int pos, string problem) =>
        _isPrefix ? new NeedMoreBytesException() : new ImageFormatException(_source, $"file is truncated or corrupt: {problem} (at offset {pos})");
}

/// <summary>Raised while parsing the start of a file when the header continues past the bytes read so far.</summary>
internal sealed class NeedMoreBytesException : Exception;
