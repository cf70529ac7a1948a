using System.Buffers.Binary;
using System.IO.Compression;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>
/// A DICOM Part 10 file (PS3.10 §7): 128-byte preamble, "DICM", the file meta group (always explicit VR
/// little endian), then the dataset in the transfer syntax the meta names — deflated syntaxes are
/// inflated first. Files without preamble or meta are recovered when a dataset can be recognised at the
/// start (after at most <see cref="MaxLeadingJunk"/> stray bytes); otherwise they are refused.
/// </summary>
public sealed class DicomFile
{
    /// <summary>How many stray bytes before a meta-less dataset recovery skips.</summary>
    public const int MaxLeadingJunk = 16;
    /// <summary>A deflated dataset larger than this once inflated is refused rather than allocated.</summary>
    public const int MaxInflatedBytes = 1 << 30;
    private const int HeaderPrefixBytes = 16 * 1024;

    private DicomFile(string path, TransferSyntax syntax, DicomDataset meta, DicomDataset dataset, bool headerOnly, IReadOnlyList<string> warnings)
    {
        Path = path;
        TransferSyntax = syntax;
        Meta = meta;
        Dataset = dataset;
        HeaderOnly = headerOnly;
        Warnings = warnings;
    }

    public string Path { get; }
    public TransferSyntax TransferSyntax { get; }
    public DicomDataset Meta { get; }
    public DicomDataset Dataset { get; }
    /// <summary>Read without its pixel data (see <see cref="ReadHeader"/>); <see cref="WithPixelData"/> reads the rest.</summary>
    public bool HeaderOnly { get; }
    /// <summary>What was repaired while reading (e.g. a recovered meta-less file).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static DicomFile Read(string path) => Parse(ReadAllBytes(path), path);

    /// <summary>Reads the elements before Pixel Data only, from as few leading bytes of the file as it takes.</summary>
    public static DicomFile ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        long length = stream.Length;
        if (length > int.MaxValue) throw new ImageFormatException(path, $"file of {length} bytes is too large for a DICOM file");
        int size = (int)Math.Min(length, HeaderPrefixBytes);
        while (true)
        {
            var prefix = new byte[size];
            stream.Position = 0;
            stream.ReadExactly(prefix);
            bool isPrefix = size < length;
            try { return Parse(prefix, path, headerOnly: true, isPrefix); }
            catch (NeedMoreBytesException) when (isPrefix) { size = (int)Math.Min(length, size * 4L); }
        }
    }

    /// <summary>This file with its pixel data (re-reads the file when only the header was read).</summary>
    public DicomFile WithPixelData() => HeaderOnly ? Read(Path) : this;

    /// <summary>Parses a whole file held in memory; <paramref name="source"/> names it in messages.</summary>
    public static DicomFile Parse(byte[] bytes, string source) => Parse(bytes, source, headerOnly: false, isPrefix: false);

    private static DicomFile Parse(byte[] bytes, string source, bool headerOnly, bool isPrefix)
    {
        int pos;
        if (bytes.Length >= 132 && bytes.AsSpan(128, 4).SequenceEqual("DICM"u8)) pos = 132;
        else if (bytes.Length >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(bytes) == 0x0002 && DicomVr.IsKnown((ushort)(bytes[4] << 8 | bytes[5]))) pos = 0;
        else return Recover(bytes, source, headerOnly, isPrefix);

        var meta = new DicomParser(bytes, source, explicitVr: true, bigEndian: false, isPrefix).ParseTopLevel(ref pos, stopAtPixelData: false, onlyGroup: 0x0002);
        var warnings = new List<string>();
        var uid = meta.GetString(DicomTags.TransferSyntaxUid);
        TransferSyntax syntax;
        if (string.IsNullOrEmpty(uid))
        {
            syntax = GuessEncoding(bytes, pos) ?? throw new ImageFormatException(source, $"the file meta has no Transfer Syntax UID and the dataset at offset {pos} is not recognisable");
            warnings.Add($"file meta has no Transfer Syntax UID; the dataset looks like {syntax.Name}");
        }
        else
            syntax = TransferSyntax.Find(uid) ?? new TransferSyntax(uid, "unrecognised transfer syntax", true, false, false, true);

        byte[] body = bytes;
        if (syntax.Deflated)
        {
            if (isPrefix) throw new NeedMoreBytesException();
            body = Inflate(bytes, pos, source);
            pos = 0;
        }
        var dataset = new DicomParser(body, source, syntax.ExplicitVr, syntax.BigEndian, isPrefix && !syntax.Deflated).ParseTopLevel(ref pos, headerOnly);
        return new DicomFile(source, syntax, meta, dataset, headerOnly, warnings);
    }

    /// <summary>No preamble and no meta: find where a dataset starts and in which encoding, or refuse the file.</summary>
    private static DicomFile Recover(byte[] bytes, string source, bool headerOnly, bool isPrefix)
    {
        ImageFormatException? lastFailure = null;
        for (int start = 0; start <= MaxLeadingJunk && start + 8 <= bytes.Length; start++)
        {
            var syntax = GuessEncoding(bytes, start);
            if (syntax is null) continue;
            try
            {
                int pos = start;
                var dataset = new DicomParser(bytes, source, syntax.ExplicitVr, syntax.BigEndian, isPrefix).ParseTopLevel(ref pos, headerOnly);
                if (!dataset.Contains(DicomTags.SopClassUid) && !dataset.Contains(DicomTags.PixelData)) continue;
                string skipped = start == 0 ? "" : $" after {start} stray byte(s)";
                return new DicomFile(source, syntax, DicomDataset.Empty(source), dataset, headerOnly,
                    [$"no DICOM preamble or file meta; dataset recovered{skipped}, read as {syntax.Name}"]);
            }
            catch (ImageFormatException e) { lastFailure = e; }
        }
        throw new ImageFormatException(source,
            "not a DICOM file: no 'DICM' marker at offset 128 and no dataset recognisable at the start" +
            (lastFailure is null ? "" : $" (closest attempt: {lastFailure.Problem})"));
    }

    /// <summary>The encoding of a dataset starting at <paramref name="pos"/>, judged from its first element
    /// (an even group no higher than 0x0030, and letters where an explicit VR would be).</summary>
    private static TransferSyntax? GuessEncoding(byte[] bytes, int pos)
    {
        if (bytes.Length - pos < 8) return null;
        ushort groupLe = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos));
        ushort groupBe = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(pos));
        bool explicitVr = DicomVr.IsKnown((ushort)(bytes[pos + 4] << 8 | bytes[pos + 5]));
        if (groupLe is >= 0x0002 and <= 0x0030 && groupLe % 2 == 0)
            return explicitVr ? TransferSyntax.ExplicitVrLittleEndian : TransferSyntax.ImplicitVrLittleEndian;
        if (groupBe is >= 0x0002 and <= 0x0030 && groupBe % 2 == 0 && explicitVr)
            return TransferSyntax.ExplicitVrBigEndian;
        return null;
    }

    /// <summary>Deflated transfer syntax (PS3.5 §A.5): everything after the meta is a raw deflate stream.</summary>
    private static byte[] Inflate(byte[] bytes, int pos, string source)
    {
        try
        {
            using var input = new DeflateStream(new MemoryStream(bytes, pos, bytes.Length - pos, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = input.Read(chunk)) > 0)
            {
                if (output.Length + n > MaxInflatedBytes)
                    throw new ImageFormatException(source, $"deflated dataset inflates to more than {MaxInflatedBytes} bytes");
                output.Write(chunk, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(source, $"deflated dataset is corrupt: {e.Message}", e);
        }
    }

    private static FileStream OpenRead(string path)
    {
        if (Directory.Exists(path)) throw new ImageFormatException(path, "is a folder, not a DICOM file");
        if (!File.Exists(path)) throw new ImageFormatException(path, "file not found");
        return File.OpenRead(path);
    }

    private static byte[] ReadAllBytes(string path)
    {
        using var stream = OpenRead(path);
        if (stream.Length > int.MaxValue) throw new ImageFormatException(path, $"file of {stream.Length} bytes is too large for a DICOM file");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
