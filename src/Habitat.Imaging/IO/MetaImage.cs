using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Habitat.Imaging.IO;

/// <summary>
/// MetaImage (ITK's MetaIO): <c>.mha</c> with the data after the header (<c>ElementDataFile = LOCAL</c>) and
/// <c>.mhd</c> with a separate data file; zlib-compressed (<c>CompressedData = True</c>) or raw; read and write.
/// </summary>
/// <remarks>
/// MetaImage geometry is already LPS (ITK's convention). <c>Offset</c>, <c>Position</c> and <c>Origin</c> are synonyms,
/// as are <c>TransformMatrix</c>, <c>Rotation</c> and <c>Orientation</c>, whose values list the direction of index axis 0,
/// then axis 1, then axis 2 (so they are the columns of our direction matrix), as ITK's MetaImageIO reads them.
/// </remarks>
public static class MetaImage
{
    /// <summary>Reads a 2-D or 3-D scalar MetaImage.</summary>
    public static Volume Read(string path) => ImageStreams.Guard(path, () => ReadCore(path));

    /// <summary>Writes <paramref name="volume"/> in its stored type: <c>.mha</c> holds the data, <c>.mhd</c> gets a
    /// <c>&lt;stem&gt;.raw</c> (or <c>.zraw</c> when compressed) beside it.</summary>
    public static void Write(Volume volume, string path, bool compress = true, bool bigEndian = false)
    {
        var payload = VoxelCodec.Encode(volume.Voxels, volume.StoredType, bigEndian, path);
        if (compress)
        {
            using var packed = new MemoryStream();
            using (var z = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(payload);
            payload = packed.ToArray();
        }
        bool detached = path.EndsWith(".mhd", StringComparison.OrdinalIgnoreCase);
        string dataFile = detached ? Path.GetFileNameWithoutExtension(path) + (compress ? ".zraw" : ".raw") : "LOCAL";
        var header = Encoding.ASCII.GetBytes(HeaderText(volume, compress ? payload.Length : null, bigEndian, dataFile));
        if (detached)
        {
            ImageStreams.WriteAtomically(TextHeader.Resolve(path, dataFile), gzip: false, payload);
            ImageStreams.WriteAtomically(path, gzip: false, header);
        }
        else ImageStreams.WriteAtomically(path, gzip: false, header, payload);
    }

    private static string HeaderText(Volume volume, long? compressedSize, bool bigEndian, string dataFile)
    {
        var g = volume.Grid;
        string Join(params double[] values) => string.Join(' ', values.Select(TextHeader.Format));
        var d = g.Direction;
        var text = new StringBuilder();
        text.Append("ObjectType = Image\nNDims = 3\nBinaryData = True\n");
        text.Append(bigEndian ? "BinaryDataByteOrderMSB = True\n" : "BinaryDataByteOrderMSB = False\n");
        text.Append(compressedSize is null ? "CompressedData = False\n" : $"CompressedData = True\nCompressedDataSize = {compressedSize}\n");
        text.Append($"TransformMatrix = {Join(d.M00, d.M10, d.M20, d.M01, d.M11, d.M21, d.M02, d.M12, d.M22)}\n");
        text.Append($"Offset = {Join(g.Origin.X, g.Origin.Y, g.Origin.Z)}\n");
        text.Append($"ElementSpacing = {Join(g.Spacing.X, g.Spacing.Y, g.Spacing.Z)}\n");
        text.Append($"DimSize = {g.Nx} {g.Ny} {g.Nz}\n");
        text.Append($"ElementType = {TypeName(volume.StoredType)}\n");
        text.Append($"ElementDataFile = {dataFile}\n");
        return text.ToString();
    }

    private static string TypeName(PixelType type) => type switch
    {
        PixelType.Int8 => "MET_CHAR",
        PixelType.UInt8 => "MET_UCHAR",
        PixelType.Int16 => "MET_SHORT",
        PixelType.UInt16 => "MET_USHORT",
        PixelType.Int32 => "MET_INT",
        PixelType.UInt32 => "MET_UINT",
        PixelType.Int64 => "MET_LONG_LONG",
        PixelType.UInt64 => "MET_ULONG_LONG",
        PixelType.Float32 => "MET_FLOAT",
        PixelType.Float64 => "MET_DOUBLE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown pixel type"),
    };

    /// <summary>MetaIO element types; MET_LONG and MET_ULONG are 4 bytes in MetaIO's type table.</summary>
    private static PixelType? TypeOf(string name) => name.ToUpperInvariant() switch
    {
        "MET_CHAR" => PixelType.Int8,
        "MET_UCHAR" => PixelType.UInt8,
        "MET_SHORT" => PixelType.Int16,
        "MET_USHORT" => PixelType.UInt16,
        "MET_INT" or "MET_LONG" => PixelType.Int32,
        "MET_UINT" or "MET_ULONG" => PixelType.UInt32,
        "MET_LONG_LONG" => PixelType.Int64,
        "MET_ULONG_LONG" => PixelType.UInt64,
        "MET_FLOAT" => PixelType.Float32,
        "MET_DOUBLE" => PixelType.Float64,
        _ => null,
    };

    private static Volume ReadCore(string path)
    {
        var (lines, dataOffset) = TextHeader.Read(path,
            line => line.TrimStart().StartsWith("ElementDataFile", StringComparison.OrdinalIgnoreCase), endMayBeEof: false);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0) continue;
            int eq = line.IndexOf('=');
            if (eq <= 0) throw new ImageFormatException(path, $"malformed header line '{Shorten(line)}' (expected 'Key = Value')");
            fields[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        string Required(string name) => fields.TryGetValue(name, out var v) ? v : throw new ImageFormatException(path, $"required field '{name}' is missing");
        string? Optional(params string[] names) { foreach (var n in names) if (fields.TryGetValue(n, out var v)) return v; return null; }
        bool Flag(string value, string name) => value.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new ImageFormatException(path, $"{name} = '{value}' is neither True nor False"),
        };

        if (Optional("ObjectType") is { } objectType && !objectType.Equals("Image", StringComparison.OrdinalIgnoreCase))
            throw new ImageFormatException(path, $"ObjectType '{objectType}' is not an image");
        long ndims = TextHeader.Integer(Required("NDims"), path, "NDims");
        if (ndims is not (2 or 3)) throw new ImageFormatException(path, $"NDims = {ndims}: only 2-D and 3-D images are supported");
        int nd = (int)ndims;
        var dimSize = TextHeader.Numbers(Required("DimSize"), path, "DimSize", nd);
        foreach (var s in dimSize)
            if (s != Math.Floor(s)) throw new ImageFormatException(path, $"DimSize: {s} is not a whole number");
        long nx = (long)dimSize[0], ny = (long)dimSize[1], nz = nd == 3 ? (long)dimSize[2] : 1;
        long voxels = ImageStreams.VoxelCount(path, nx, ny, nz);

        var typeName = Required("ElementType");
        var type = TypeOf(typeName) ?? throw new ImageFormatException(path, $"ElementType '{typeName}' is not supported");
        if (Optional("ElementNumberOfChannels") is { } channels && TextHeader.Integer(channels, path, "ElementNumberOfChannels") != 1)
            throw new ImageFormatException(path, $"ElementNumberOfChannels = {channels}: only scalar images are supported");
        if (Optional("BinaryData") is { } binary && !Flag(binary, "BinaryData"))
            throw new ImageFormatException(path, "BinaryData = False (ASCII voxel data) is not supported");
        bool bigEndian = Optional("BinaryDataByteOrderMSB", "ElementByteOrderMSB") is { } msb && Flag(msb, "BinaryDataByteOrderMSB");
        bool compressed = Optional("CompressedData") is { } c && Flag(c, "CompressedData");

        Vec3 Triple(string? text, string name, double fill)
        {
            if (text is null) return new Vec3(fill, fill, fill);
            var v = TextHeader.Numbers(text, path, name, nd);
            return new Vec3(v[0], v[1], nd == 3 ? v[2] : fill);
        }
        var spacing = Triple(Optional("ElementSpacing", "ElementSize"), "ElementSpacing", 1);
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0) || !spacing.IsFinite)
            throw new ImageFormatException(path, $"ElementSpacing {spacing} must be positive and finite");
        var origin = Triple(Optional("Offset", "Position", "Origin"), "Offset", 0);
        var direction = Matrix3.Identity;
        if (Optional("TransformMatrix", "Rotation", "Orientation") is { } matrixText)
        {
            var m = TextHeader.Numbers(matrixText, path, "TransformMatrix", nd * nd);
            direction = nd == 3
                ? Matrix3.FromColumns(new Vec3(m[0], m[1], m[2]), new Vec3(m[3], m[4], m[5]), new Vec3(m[6], m[7], m[8]))
                : Matrix3.FromColumns(new Vec3(m[0], m[1], 0), new Vec3(m[2], m[3], 0), new Vec3(0, 0, 1));
        }
        var grid = new Grid((int)nx, (int)ny, (int)nz, spacing, origin, direction);

        var dataFile = Required("ElementDataFile");
        long headerSize = Optional("HeaderSize") is { } hs ? TextHeader.Integer(hs, path, "HeaderSize") : 0;
        if (headerSize < -1 || (headerSize == -1 && compressed))
            throw new ImageFormatException(path, $"HeaderSize = {headerSize} is invalid (-1 is allowed only for uncompressed data)");
        string dataPath = path;
        if (!dataFile.Equals("LOCAL", StringComparison.OrdinalIgnoreCase))
        {
            if (dataFile.StartsWith("LIST", StringComparison.OrdinalIgnoreCase) || dataFile.Contains('%'))
                throw new ImageFormatException(path, $"ElementDataFile '{dataFile}' names several files; only one data file is supported");
            dataPath = TextHeader.Resolve(path, dataFile);
            if (!File.Exists(dataPath)) throw new ImageFormatException(path, $"data file '{dataFile}' does not exist");
            dataOffset = 0;
        }

        using var file = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int length = ImageStreams.CheckPayload(dataPath, voxels, type, dataOffset + Math.Max(headerSize, 0), compressed);
        file.Position = headerSize == -1 ? file.Length - length : dataOffset;
        if (headerSize > 0) ImageStreams.Skip(file, headerSize, dataPath, "HeaderSize");
        using var data = compressed ? new ZLibStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;
        return new Volume(grid, ImageStreams.ReadVoxels(data, grid.Count, type, bigEndian, dataPath), type);
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
