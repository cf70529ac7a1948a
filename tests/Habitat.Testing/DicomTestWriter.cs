using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Habitat.Testing;

/// <summary>
/// Writes small DICOM Part 10 files for tests and benchmarks (implicit or explicit VR little endian, sequences
/// of undefined length). Deliberately minimal: it writes what a test asks for, valid or not.
/// </summary>
public sealed class DicomTestWriter
{
    private readonly SortedDictionary<uint, (string Vr, byte[]? Value, DicomTestWriter[]? Items)> _elements = [];

    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>A text element (padded to even length with a space, or NUL for UI).</summary>
    public DicomTestWriter Text(uint tag, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        _elements[tag] = (vr, bytes, null);
        return this;
    }

    /// <summary>A DS element holding these numbers, backslash-separated.</summary>
    public DicomTestWriter Decimals(uint tag, params double[] values) =>
        Text(tag, "DS", string.Join('\\', values.Select(v => v.ToString("0.######", CultureInfo.InvariantCulture))));

    public DicomTestWriter UInt16(uint tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _elements[tag] = ("US", bytes, null);
        return this;
    }

    public DicomTestWriter Bytes(uint tag, string vr, byte[] value)
    {
        _elements[tag] = (vr, value.Length % 2 == 1 ? [.. value, 0] : value, null);
        return this;
    }

    /// <summary>Encapsulated pixel data (OB, undefined length): the basic offset table item, then the fragments.</summary>
    public DicomTestWriter Encapsulated(byte[] offsetTable, params byte[][] fragments)
    {
        using var output = new MemoryStream();
        var w = new BinaryWriter(output);
        foreach (var item in (byte[][])[offsetTable, .. fragments])
        {
            w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write((uint)(item.Length + item.Length % 2));
            w.Write(item);
            if (item.Length % 2 == 1) w.Write((byte)0);
        }
        w.Write((ushort)0xFFFE); w.Write((ushort)0xE0DD); w.Write(0u);
        w.Flush();
        _elements[0x7FE0_0010] = ("OB*", output.ToArray(), null);
        return this;
    }

    public DicomTestWriter Sequence(uint tag, params DicomTestWriter[] items)
    {
        _elements[tag] = ("SQ", null, items);
        return this;
    }

    /// <summary>128-byte preamble, "DICM", the file meta group and the dataset in the given syntax.</summary>
    public byte[] ToPart10(string transferSyntax = ImplicitVrLittleEndian, string sopClass = "1.2.840.10008.5.1.4.1.1.4")
    {
        var meta = new DicomTestWriter()
            .Bytes(0x0002_0001, "OB", [0, 1])
            .Text(0x0002_0002, "UI", sopClass)
            .Text(0x0002_0003, "UI", "1.2.3.4")
            .Text(0x0002_0010, "UI", transferSyntax);
        var metaBody = meta.Encode(explicitVr: true);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)metaBody.Length);
        using var output = new MemoryStream();
        output.Write(new byte[128]);
        output.Write("DICM"u8);
        output.Write(new DicomTestWriter().Bytes(0x0002_0000, "UL", groupLength).Encode(explicitVr: true));
        output.Write(metaBody);
        output.Write(Encode(explicitVr: transferSyntax != ImplicitVrLittleEndian));
        return output.ToArray();
    }

    public byte[] Encode(bool explicitVr)
    {
        using var output = new MemoryStream();
        var w = new BinaryWriter(output);
        foreach (var (tag, (declaredVr, value, items)) in _elements)
        {
            bool encapsulated = declaredVr == "OB*";
            string vr = encapsulated ? "OB" : declaredVr;
            w.Write((ushort)(tag >> 16));
            w.Write((ushort)tag);
            bool longLength = vr is "OB" or "OW" or "OF" or "SQ" or "UN" or "UT" or "UC" or "UR" or "OD" or "OL";
            if (explicitVr)
            {
                w.Write(Encoding.ASCII.GetBytes(vr));
                if (longLength) w.Write((ushort)0);
            }
            if (encapsulated)
            {
                w.Write(0xFFFF_FFFFu);
                w.Write(value!);
                continue;
            }
            if (items is not null)
            {
                w.Write(0xFFFF_FFFFu);
                foreach (var item in items)
                {
                    w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFF_FFFFu);
                    w.Write(item.Encode(explicitVr));
                    w.Write((ushort)0xFFFE); w.Write((ushort)0xE00D); w.Write(0u);
                }
                w.Write((ushort)0xFFFE); w.Write((ushort)0xE0DD); w.Write(0u);
                continue;
            }
            if (explicitVr && !longLength) w.Write((ushort)value!.Length);
            else w.Write((uint)value!.Length);
            w.Write(value);
        }
        w.Flush();
        return output.ToArray();
    }

    /// <summary>A 16-bit signed single-frame image slice of an axial (or given-orientation) series.</summary>
    public static DicomTestWriter Int16Slice(string seriesUid, int instance, double[] position, short[] pixels, int rows, int columns,
        double[]? orientation = null, double pixelSpacing = 0.5, double slope = 1, double intercept = 0, string description = "test series", double echoTime = 12.5)
    {
        var pixelBytes = new byte[pixels.Length * 2];
        for (int n = 0; n < pixels.Length; n++) BinaryPrimitives.WriteInt16LittleEndian(pixelBytes.AsSpan(2 * n), pixels[n]);
        return new DicomTestWriter()
            .Text(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.4")
            .Text(0x0008_0018, "UI", $"{seriesUid}.{instance}")
            .Text(0x0008_0060, "CS", "MR")
            .Text(0x0008_103E, "LO", description)
            .Decimals(0x0018_0080, 500)
            .Decimals(0x0018_0081, echoTime)
            .Text(0x0020_000D, "UI", "1.2.3")
            .Text(0x0020_000E, "UI", seriesUid)
            .Text(0x0020_0013, "IS", instance.ToString(CultureInfo.InvariantCulture))
            .Decimals(0x0020_0032, position)
            .Decimals(0x0020_0037, orientation ?? [1, 0, 0, 0, 1, 0])
            .Text(0x0020_0052, "UI", "1.2.3.9")
            .UInt16(0x0028_0002, 1)
            .Text(0x0028_0004, "CS", "MONOCHROME2")
            .UInt16(0x0028_0010, (ushort)rows)
            .UInt16(0x0028_0011, (ushort)columns)
            .Decimals(0x0028_0030, pixelSpacing, pixelSpacing)
            .UInt16(0x0028_0100, 16)
            .UInt16(0x0028_0101, 16)
            .UInt16(0x0028_0102, 15)
            .UInt16(0x0028_0103, 1)
            .Decimals(0x0028_1052, intercept)
            .Decimals(0x0028_1053, slope)
            .Bytes(0x7FE0_0010, "OW", pixelBytes);
    }
}
