using System.IO.Compression;
using System.Text;

namespace Habitat.Imaging.IO;

/// <summary>
/// NRRD (Teem's "nearly raw raster data", the 3D Slicer format): attached (<c>.nrrd</c>) and detached (<c>.nhdr</c> +
/// data file) headers; raw, gzip and ascii encodings; read and write.
/// </summary>
/// <remarks>
/// Geometry comes from <c>space directions</c> (one vector per axis: direction × spacing) and <c>space origin</c>,
/// expressed in the declared <c>space</c> (LPS, RAS or LAS, short or long spelling), converted to our LPS.
/// Without <c>space directions</c>, <c>spacings</c> gives the spacing with identity direction and zero origin.
/// 2-D images become one-slice volumes. Axes whose <c>kinds</c> are not spatial (vectors, colours, lists) are refused.
/// Writing produces NRRD0004 in LPS with the volume's stored type: attached for <c>.nrrd</c>, and for <c>.nhdr</c> a
/// detached header plus <c>&lt;stem&gt;.raw</c> (or <c>.raw.gz</c> when compressed).
/// </remarks>
public static class Nrrd
{
    /// <summary>Reads a 2-D or 3-D scalar NRRD image.</summary>
    public static Volume Read(string path) => ImageStreams.Guard(path, () => ReadCore(path));

    /// <summary>Writes <paramref name="volume"/> in its stored type; gzip-encoded unless <paramref name="compress"/> is false.</summary>
    public static void Write(Volume volume, string path, bool compress = true, bool bigEndian = false)
    {
        bool detached = path.EndsWith(".nhdr", StringComparison.OrdinalIgnoreCase);
        var payload = VoxelCodec.Encode(volume.Voxels, volume.StoredType, bigEndian, path);
        string? dataName = detached ? Path.GetFileNameWithoutExtension(path) + (compress ? ".raw.gz" : ".raw") : null;
        var header = Encoding.ASCII.GetBytes(HeaderText(volume, compress, bigEndian, dataName));
        if (dataName is not null)
        {
            ImageStreams.WriteAtomically(TextHeader.Resolve(path, dataName), compress, payload);
            ImageStreams.WriteAtomically(path, gzip: false, header);
            return;
        }
        ImageStreams.WriteAtomically(path, file =>
        {
            file.Write(header);
            using var data = compress ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true) : file;
            data.Write(payload);
        });
    }

    private static string HeaderText(Volume volume, bool compress, bool bigEndian, string? dataFile)
    {
        var g = volume.Grid;
        var text = new StringBuilder();
        text.Append("NRRD0004\n");
        text.Append("# Complete NRRD file format specification at:\n# http://teem.sourceforge.net/nrrd/format.html\n");
        text.Append($"type: {TypeName(volume.StoredType)}\n");
        text.Append("dimension: 3\n");
        text.Append("space: left-posterior-superior\n");
        text.Append($"sizes: {g.Nx} {g.Ny} {g.Nz}\n");
        text.Append("space directions:");
        for (int axis = 0; axis < 3; axis++)
        {
            var v = g.Direction.Column(axis) * g.Spacing[axis];
            text.Append($" ({TextHeader.Format(v.X)},{TextHeader.Format(v.Y)},{TextHeader.Format(v.Z)})");
        }
        text.Append('\n');
        text.Append("kinds: domain domain domain\n");
        if (volume.StoredType.Size() > 1) text.Append(bigEndian ? "endian: big\n" : "endian: little\n");
        text.Append(compress ? "encoding: gzip\n" : "encoding: raw\n");
        text.Append($"space origin: ({TextHeader.Format(g.Origin.X)},{TextHeader.Format(g.Origin.Y)},{TextHeader.Format(g.Origin.Z)})\n");
        if (dataFile is not null) text.Append($"data file: {dataFile}\n");
        text.Append('\n');
        return text.ToString();
    }

    /// <summary>Teem's canonical type names (what ITK and Slicer write).</summary>
    private static string TypeName(PixelType type) => type switch
    {
        PixelType.Int8 => "signed char",
        PixelType.UInt8 => "unsigned char",
        PixelType.Int16 => "short",
        PixelType.UInt16 => "unsigned short",
        PixelType.Int32 => "int",
        PixelType.UInt32 => "unsigned int",
        PixelType.Int64 => "long long int",
        PixelType.UInt64 => "unsigned long long int",
        PixelType.Float32 => "float",
        PixelType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown pixel type"),
    };

    /// <summary>Every spelling of the NRRD specification's type field.</summary>
    private static PixelType? TypeOf(string name) => name switch
    {
        "signed char" or "int8" or "int8_t" => PixelType.Int8,
        "uchar" or "unsigned char" or "uint8" or "uint8_t" => PixelType.UInt8,
        "short" or "short int" or "signed short" or "signed short int" or "int16" or "int16_t" => PixelType.Int16,
        "ushort" or "unsigned short" or "unsigned short int" or "uint16" or "uint16_t" => PixelType.UInt16,
        "int" or "signed int" or "int32" or "int32_t" => PixelType.Int32,
        "uint" or "unsigned int" or "uint32" or "uint32_t" => PixelType.UInt32,
        "longlong" or "long long" or "long long int" or "signed long long" or "signed long long int" or "int64" or "int64_t" => PixelType.Int64,
        "ulonglong" or "unsigned long long" or "unsigned long long int" or "uint64" or "uint64_t" => PixelType.UInt64,
        "float" => PixelType.Float32,
        "double" => PixelType.Float64,
        _ => null,
    };

    private enum DataEncoding { Raw, Gzip, Ascii }

    private static Volume ReadCore(string path)
    {
        var (lines, dataOffset) = TextHeader.Read(path, line => line.Length == 0, endMayBeEof: true);
        if (lines.Count == 0 || lines[0].Length == 0)
            throw new ImageFormatException(path, "not a NRRD file: it is empty or starts with a blank line");
        if (!lines[0].StartsWith("NRRD000", StringComparison.Ordinal) || lines[0].Length != 8 || !char.IsAsciiDigit(lines[0][7]))
            throw new ImageFormatException(path, $"not a NRRD file: first line is '{Shorten(lines[0])}', expected 'NRRD000x'");

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.Contains(":=", StringComparison.Ordinal)) continue; // key/value pairs carry no geometry
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) throw new ImageFormatException(path, $"malformed header line '{Shorten(line)}'");
            var name = line[..colon].Trim().ToLowerInvariant();
            if (!fields.TryAdd(name, line[(colon + 2)..].Trim()))
                throw new ImageFormatException(path, $"field '{name}' appears twice");
        }
        string Required(string name) => fields.TryGetValue(name, out var v) ? v : throw new ImageFormatException(path, $"required field '{name}' is missing");
        string? Optional(params string[] names) { foreach (var n in names) if (fields.TryGetValue(n, out var v)) return v; return null; }

        var typeName = Required("type");
        var type = TypeOf(typeName) ?? throw new ImageFormatException(path, $"type '{typeName}' is not supported (only scalar integer and float types are)");
        long dimension = TextHeader.Integer(Required("dimension"), path, "dimension");
        if (dimension is not (2 or 3))
            throw new ImageFormatException(path, $"dimension {dimension} is not supported: only 2-D and 3-D scalar images are");
        var sizes = TextHeader.Numbers(Required("sizes"), path, "sizes", (int)dimension);
        foreach (var s in sizes)
            if (s != Math.Floor(s)) throw new ImageFormatException(path, $"sizes: {s} is not a whole number");
        long nx = (long)sizes[0], ny = (long)sizes[1], nz = dimension == 3 ? (long)sizes[2] : 1;
        long voxels = ImageStreams.VoxelCount(path, nx, ny, nz);

        if (Optional("kinds") is { } kinds)
        {
            var each = kinds.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (each.Length != dimension) throw new ImageFormatException(path, $"kinds: expected {dimension} values, found {each.Length}");
            for (int axis = 0; axis < dimension; axis++)
                if (sizes[axis] > 1 && each[axis] is not ("domain" or "space" or "time" or "???" or "none"))
                    throw new ImageFormatException(path, $"axis {axis} is of kind '{each[axis]}': only scalar images (spatial axes) are supported");
        }

        var (direction, spacing, origin) = Geometry(fields, (int)dimension, path);
        var grid = new Grid((int)nx, (int)ny, (int)nz, spacing, origin, direction);

        var encoding = Required("encoding") switch
        {
            "raw" => DataEncoding.Raw,
            "gzip" or "gz" => DataEncoding.Gzip,
            "ascii" or "text" or "txt" => DataEncoding.Ascii,
            var other => throw new ImageFormatException(path, $"encoding '{other}' is not supported (raw, gzip and ascii are)"),
        };
        bool bigEndian = false;
        if (type.Size() > 1 && encoding != DataEncoding.Ascii)
            bigEndian = Required("endian") switch
            {
                "little" => false,
                "big" => true,
                var other => throw new ImageFormatException(path, $"endian '{other}' is neither 'little' nor 'big'"),
            };

        long lineSkip = Optional("line skip", "lineskip") is { } ls ? TextHeader.Integer(ls, path, "line skip") : 0;
        long byteSkip = Optional("byte skip", "byteskip") is { } bs ? TextHeader.Integer(bs, path, "byte skip") : 0;
        if (lineSkip < 0) throw new ImageFormatException(path, $"line skip {lineSkip} is negative");
        if (byteSkip < -1 || (byteSkip == -1 && encoding != DataEncoding.Raw))
            throw new ImageFormatException(path, $"byte skip {byteSkip} is invalid (-1 is allowed only for raw encoding)");

        string dataPath = path;
        if (Optional("data file", "datafile") is { } dataFile)
        {
            if (dataFile.StartsWith("LIST", StringComparison.Ordinal) || dataFile.Contains('%'))
                throw new ImageFormatException(path, $"data file '{dataFile}' lists several files; only a single data file is supported");
            dataPath = TextHeader.Resolve(path, dataFile);
            dataOffset = 0;
            if (!File.Exists(dataPath)) throw new ImageFormatException(path, $"data file '{dataFile}' does not exist");
        }
        else if (dataOffset >= new FileInfo(path).Length && lines[^1].Length != 0)
            throw new ImageFormatException(path, "header has no blank line ending it and names no data file, so there is no voxel data");

        using var file = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        file.Position = dataOffset;
        for (long n = 0; n < lineSkip; n++) SkipLine(file, dataPath);

        if (encoding == DataEncoding.Ascii)
        {
            // Each value takes at least one character and a separator: refuse impossible counts before allocating.
            if (voxels > (file.Length - file.Position + 1) / 2)
                throw new ImageFormatException(dataPath, $"file is truncated: {file.Length - file.Position} bytes of ascii data cannot hold {voxels} values");
            return new Volume(grid, ReadAscii(file, grid.Count, dataPath), type);
        }

        int length = ImageStreams.CheckPayload(dataPath, voxels, type, file.Position + Math.Max(byteSkip, 0), encoding == DataEncoding.Gzip);
        using var data = encoding == DataEncoding.Gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;
        if (byteSkip == -1) file.Position = file.Length - length;
        else ImageStreams.Skip(data, byteSkip, dataPath, "byte skip");
        return new Volume(grid, ImageStreams.ReadVoxels(data, grid.Count, type, bigEndian, dataPath), type);
    }

    private static (Matrix3 Direction, Vec3 Spacing, Vec3 Origin) Geometry(Dictionary<string, string> fields, int dimension, string path)
    {
        // Maps the file's space to LPS (each is a diagonal sign flip).
        Vec3 toLps = Vec3.One;
        bool hasSpace = false;
        if (fields.TryGetValue("space", out var space))
        {
            hasSpace = true;
            toLps = space.ToLowerInvariant() switch
            {
                "left-posterior-superior" or "lps" => new Vec3(1, 1, 1),
                "right-anterior-superior" or "ras" => new Vec3(-1, -1, 1),
                "left-anterior-superior" or "las" => new Vec3(1, -1, 1),
                _ => throw new ImageFormatException(path, $"space '{space}' is not supported (left-posterior-superior, right-anterior-superior and left-anterior-superior are)"),
            };
        }
        else if (fields.TryGetValue("space dimension", out var sd))
        {
            if (TextHeader.Integer(sd, path, "space dimension") != 3)
                throw new ImageFormatException(path, $"space dimension {sd} is not supported (only 3)");
            hasSpace = true;
        }
        // "+ 0.0" turns a flipped −0 into +0.
        Vec3 Flip(Vec3 v) => new(v.X * toLps.X + 0.0, v.Y * toLps.Y + 0.0, v.Z * toLps.Z + 0.0);

        if (fields.TryGetValue("space directions", out var directionsText))
        {
            if (!hasSpace) throw new ImageFormatException(path, "space directions are given without a space or space dimension");
            var vectors = ParseVectors(directionsText, path, "space directions");
            if (vectors.Count != dimension)
                throw new ImageFormatException(path, $"space directions: expected {dimension} vectors, found {vectors.Count}");
            var columns = new Vec3[3];
            var spacing = new double[3];
            for (int axis = 0; axis < dimension; axis++)
            {
                var v = vectors[axis] ?? throw new ImageFormatException(path, $"space directions: axis {axis} is 'none' but is a spatial axis");
                spacing[axis] = v.Length;
                if (!(spacing[axis] > 0) || !double.IsFinite(spacing[axis]))
                    throw new ImageFormatException(path, $"space directions: axis {axis} vector {v} has zero or non-finite length");
                columns[axis] = Flip(v / spacing[axis]);
            }
            if (dimension == 2) { columns[2] = columns[0].Cross(columns[1]).Normalized(); spacing[2] = 1; }
            var origin = Vec3.Zero;
            if (fields.TryGetValue("space origin", out var originText))
            {
                var o = ParseVectors(originText, path, "space origin");
                if (o.Count != 1 || o[0] is null) throw new ImageFormatException(path, $"space origin '{Shorten(originText)}' is not one vector");
                origin = Flip(o[0]!.Value);
            }
            return (Matrix3.FromColumns(columns[0], columns[1], columns[2]), new Vec3(spacing[0], spacing[1], spacing[2]), origin);
        }

        var spacings = new double[] { 1, 1, 1 };
        if (fields.TryGetValue("spacings", out var spacingsText))
        {
            var parts = spacingsText.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != dimension) throw new ImageFormatException(path, $"spacings: expected {dimension} values, found {parts.Length}");
            for (int axis = 0; axis < dimension; axis++)
                spacings[axis] = parts[axis].Equals("nan", StringComparison.OrdinalIgnoreCase) ? 1 : TextHeader.Number(parts[axis], path, "spacings");
        }
        var s = new Vec3(spacings[0], spacings[1], spacings[2]);
        if (!(s.X > 0 && s.Y > 0 && s.Z > 0) || !s.IsFinite)
            throw new ImageFormatException(path, $"spacings {s} must be positive and finite");
        return (Matrix3.Identity, s, Vec3.Zero);
    }

    /// <summary>Parses "(x,y,z) (x,y,z) none": a vector or null per entry.</summary>
    private static List<Vec3?> ParseVectors(string text, string path, string field)
    {
        var result = new List<Vec3?>();
        int n = 0;
        while (n < text.Length)
        {
            if (char.IsWhiteSpace(text[n])) { n++; continue; }
            if (text.AsSpan(n).StartsWith("none", StringComparison.Ordinal)) { result.Add(null); n += 4; continue; }
            if (text[n] != '(') throw new ImageFormatException(path, $"{field}: expected '(' at '{Shorten(text[n..])}'");
            int close = text.IndexOf(')', n);
            if (close < 0) throw new ImageFormatException(path, $"{field}: unclosed '(' in '{Shorten(text)}'");
            var parts = text[(n + 1)..close].Split(',');
            if (parts.Length != 3) throw new ImageFormatException(path, $"{field}: '{text[n..(close + 1)]}' is not a 3-vector");
            var v = new Vec3(TextHeader.Number(parts[0], path, field), TextHeader.Number(parts[1], path, field), TextHeader.Number(parts[2], path, field));
            if (!v.IsFinite) throw new ImageFormatException(path, $"{field}: '{text[n..(close + 1)]}' is not finite");
            result.Add(v);
            n = close + 1;
        }
        return result;
    }

    private static void SkipLine(Stream s, string path)
    {
        int b;
        while ((b = s.ReadByte()) != '\n')
            if (b < 0) throw new ImageFormatException(path, "file is truncated: ends inside the lines to skip (line skip)");
    }

    private static float[] ReadAscii(Stream s, int count, string path)
    {
        using var reader = new StreamReader(s, Encoding.ASCII, false, 1 << 16, leaveOpen: true);
        var voxels = new float[count];
        int n = 0;
        string? line;
        while (n < count && (line = reader.ReadLine()) is not null)
            foreach (var token in line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (n == count) throw new ImageFormatException(path, $"ascii data holds more than the {count} values the header declares");
                voxels[n++] = (float)TextHeader.Number(token, path, "ascii data");
            }
        if (n < count) throw new ImageFormatException(path, $"file is truncated: ascii data holds {n} values, the header declares {count}");
        return voxels;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
