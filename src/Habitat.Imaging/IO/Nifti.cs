using System.Buffers.Binary;
using System.Text;

namespace Habitat.Imaging.IO;

/// <summary>
/// NIfTI-1 and NIfTI-2 (<c>.nii</c>, <c>.nii.gz</c>, <c>.hdr</c>/<c>.img</c> pairs, optionally gzipped), read and write.
/// </summary>
/// <remarks>
/// Byte order is detected from <c>sizeof_hdr</c> (348 for NIfTI-1, 540 for NIfTI-2, read in either order).
/// Intensities are <c>scl_slope · stored + scl_inter</c> when <c>scl_slope</c> is non-zero and the pair is not (1, 0);
/// a scaled integer image is remembered as Float32, as ITK does, so writing it back cannot truncate the scaled values.
/// <para>Orientation follows ITK's NiftiImageIO (<c>SetImageIOOrientationFromNIfTI</c>, ITK 5.x):</para>
/// <list type="number">
/// <item>qform_code and sform_code both 0: origin 0, identity direction.</item>
/// <item>The sform is used when its code is non-zero, its 3×3 part has columns that normalise to an orthonormal matrix,
/// and either the qform code is 0, or the sform code is 1 (NIFTI_XFORM_SCANNER_ANAT), or the sform agrees with the qform.</item>
/// <item>Otherwise the qform is used when its code is non-zero; a file with only a skewed sform is refused.</item>
/// </list>
/// Spacing always comes from <c>pixdim[1..3]</c> (as in ITK). NIfTI world space is RAS; it is converted to our LPS by
/// negating x and y of the direction columns and of the origin. Writing produces NIfTI-1 with both qform and sform
/// set to the same rigid transform with code 1 (scanner anatomical), as ITK writes.
/// </remarks>
public static class Nifti
{
    private const int Nifti1HeaderSize = 348;
    private const int Nifti2HeaderSize = 540;
    private const int XformScannerAnat = 1;

    /// <summary>Reads a 3-D volume; for a 4-D file <paramref name="volumeIndex"/> (0-based) selects the volume.</summary>
    public static Volume Read(string path, int? volumeIndex = null) =>
        ImageStreams.Guard(path, () => ReadCore(path, volumeIndex));

    /// <summary>
    /// Writes <paramref name="volume"/> in its <see cref="Volume.StoredType"/>: gzipped when the name ends in <c>.gz</c>,
    /// as a header/image pair when it ends in <c>.hdr</c> (or <c>.hdr.gz</c>). <paramref name="version"/> 2 writes NIfTI-2;
    /// <paramref name="bigEndian"/> writes big-endian (both exist for interoperability tests; NIfTI-1 little-endian is the default).
    /// </summary>
    public static void Write(Volume volume, string path, int version = 1, bool bigEndian = false)
    {
        if (version is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(version), version, "NIfTI version must be 1 or 2");
        var (isPair, gzip) = Classify(path);
        var payload = VoxelCodec.Encode(volume.Voxels, volume.StoredType, bigEndian, path);
        if (isPair)
        {
            // Either half may be named: x.hdr or x.img both write the pair x.hdr + x.img.
            bool namedImage = (gzip ? path[..^3] : path).EndsWith(".img", StringComparison.OrdinalIgnoreCase);
            var headerPath = namedImage ? PairedName(path, ".img", ".hdr") : path;
            var imagePath = namedImage ? path : PairedName(path, ".hdr", ".img");
            ImageStreams.WriteAtomically(imagePath, gzip, payload);
            ImageStreams.WriteAtomically(headerPath, gzip, EncodeHeader(path, volume, version, bigEndian, singleFile: false));
        }
        else
        {
            ImageStreams.WriteAtomically(path, gzip, EncodeHeader(path, volume, version, bigEndian, singleFile: true), payload);
        }
    }

    /// <summary>True when the bytes begin like a NIfTI-1 or NIfTI-2 header in either byte order.</summary>
    public static bool LooksLikeNifti(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4) return false;
        int little = BinaryPrimitives.ReadInt32LittleEndian(head), big = BinaryPrimitives.ReadInt32BigEndian(head);
        return little is Nifti1HeaderSize or Nifti2HeaderSize || big is Nifti1HeaderSize or Nifti2HeaderSize;
    }

    private static (bool IsPair, bool Gzip) Classify(string path)
    {
        var lower = path.ToLowerInvariant();
        bool gzip = lower.EndsWith(".gz", StringComparison.Ordinal);
        var stem = gzip ? lower[..^3] : lower;
        return (stem.EndsWith(".hdr", StringComparison.Ordinal) || stem.EndsWith(".img", StringComparison.Ordinal), gzip);
    }

    /// <summary>The partner of a .hdr/.img file: same stem, other extension, keeping a trailing .gz and the case.</summary>
    private static string PairedName(string path, string from, string to)
    {
        bool gz = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var stem = gz ? path[..^3] : path;
        var ext = stem[^from.Length..];
        var replaced = char.IsUpper(ext[1]) ? to.ToUpperInvariant() : to;
        return stem[..^from.Length] + replaced + (gz ? path[^3..] : "");
    }

    /// <summary>The existing partner file, trying with and without .gz.</summary>
    private static string FindPartner(string path, string from, string to)
    {
        var candidate = PairedName(path, from, to);
        if (File.Exists(candidate)) return candidate;
        var other = candidate.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? candidate[..^3] : candidate + ".gz";
        if (File.Exists(other)) return other;
        throw new ImageFormatException(path, $"the matching {to} file ({Path.GetFileName(candidate)}) does not exist");
    }

    private static Volume ReadCore(string path, int? volumeIndex)
    {
        var (isPair, _) = Classify(path);
        bool isImageHalf = isPair && Path.GetFileName(path).ToLowerInvariant().Replace(".gz", "").EndsWith(".img", StringComparison.Ordinal);
        var headerPath = isImageHalf ? FindPartner(path, ".img", ".hdr") : path;

        using var headerStream = ImageStreams.OpenRead(headerPath, out bool headerGzipped);
        var header = ReadHeader(headerStream, headerPath);

        bool singleFile = header.Magic is "n+1" or "n+2";
        if (!singleFile && !isPair)
            throw new ImageFormatException(headerPath, $"magic '{header.Magic}' marks a header/image pair, but the file is not named .hdr/.img");
        if (header.Dimensions < 1 || header.Dimensions > 7)
            throw new ImageFormatException(headerPath, $"dim[0] = {header.Dimensions} is not a dimension count between 1 and 7");

        long nx = header.Dim[1], ny = header.Dimensions >= 2 ? header.Dim[2] : 1, nz = header.Dimensions >= 3 ? header.Dim[3] : 1;
        // Non-spatial sizes of 0 or less are taken as 1 (some writers leave them 0); spatial sizes must be positive.
        long volumes = header.Dimensions >= 4 && header.Dim[4] > 1 ? header.Dim[4] : 1;
        for (int d = 5; d <= header.Dimensions; d++)
            if (header.Dim[d] > 1)
                throw new ImageFormatException(headerPath, $"{header.Dimensions}-D images (dim[{d}] = {header.Dim[d]}) are not supported; only 3-D volumes and 4-D series are");
        long total = ImageStreams.VoxelCount(headerPath, nx, ny, nz, volumes);
        int index = volumeIndex ?? 0;
        if (volumes > 1 && volumeIndex is null)
            throw new ImageFormatException(headerPath, $"the file holds a 4-D series of {volumes} volumes; give a volume index (0 to {volumes - 1}) to read one");
        if (index < 0 || index >= volumes)
            throw new ImageFormatException(headerPath, $"volume index {index} is outside the file's {volumes} volume(s)");

        var type = PixelTypeOf(header.Datatype, headerPath);
        var spacing = new Vec3(header.PixDim[1], header.Dimensions >= 2 ? header.PixDim[2] : 1, header.Dimensions >= 3 ? header.PixDim[3] : 1);
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0) || !spacing.IsFinite)
            throw new ImageFormatException(headerPath, $"voxel spacing (pixdim) {spacing} must be positive and finite");
        if (header.VoxOffset < 0 || (singleFile && header.VoxOffset < header.Size))
            throw new ImageFormatException(headerPath, $"vox_offset {header.VoxOffset} points inside the header or before the file");

        var (direction, origin) = Orientation(header, headerPath);
        var grid = new Grid((int)nx, (int)ny, (int)nz, spacing, origin, direction);

        if (singleFile)
        {
            int length = ImageStreams.CheckPayload(headerPath, total, type, header.VoxOffset, headerGzipped) / (int)volumes;
            ImageStreams.Skip(headerStream, header.VoxOffset - header.Size + (long)index * length, headerPath, "the gap before the voxel data");
            return Scale(header, grid, type, ImageStreams.ReadVoxels(headerStream, grid.Count, type, header.BigEndian, headerPath));
        }
        var imagePath = isImageHalf ? path : FindPartner(path, ".hdr", ".img");
        using var imageStream = ImageStreams.OpenRead(imagePath, out bool imageGzipped);
        int volumeLength = ImageStreams.CheckPayload(imagePath, total, type, header.VoxOffset, imageGzipped) / (int)volumes;
        ImageStreams.Skip(imageStream, header.VoxOffset + (long)index * volumeLength, imagePath, "the offset before the voxel data");
        return Scale(header, grid, type, ImageStreams.ReadVoxels(imageStream, grid.Count, type, header.BigEndian, imagePath));
    }

    private static Volume Scale(Header header, Grid grid, PixelType type, float[] voxels)
    {
        double slope = header.SclSlope, inter = header.SclInter;
        bool scaled = slope != 0 && double.IsFinite(slope) && double.IsFinite(inter) && (slope != 1 || inter != 0);
        if (!scaled) return new Volume(grid, voxels, type);
        // In double, so that large stored values keep what float precision they can.
        for (int n = 0; n < voxels.Length; n++) voxels[n] = (float)(voxels[n] * slope + inter);
        return new Volume(grid, voxels, PixelType.Float32);
    }

    private static PixelType PixelTypeOf(int datatype, string path) => datatype switch
    {
        2 => PixelType.UInt8,
        4 => PixelType.Int16,
        8 => PixelType.Int32,
        16 => PixelType.Float32,
        64 => PixelType.Float64,
        256 => PixelType.Int8,
        512 => PixelType.UInt16,
        768 => PixelType.UInt32,
        1024 => PixelType.Int64,
        1280 => PixelType.UInt64,
        _ => throw new ImageFormatException(path, $"NIfTI datatype {datatype} is not supported (only scalar integer and float types are)"),
    };

    private static short DatatypeOf(PixelType type) => type switch
    {
        PixelType.UInt8 => 2,
        PixelType.Int16 => 4,
        PixelType.Int32 => 8,
        PixelType.Float32 => 16,
        PixelType.Float64 => 64,
        PixelType.Int8 => 256,
        PixelType.UInt16 => 512,
        PixelType.UInt32 => 768,
        PixelType.Int64 => 1024,
        PixelType.UInt64 => 1280,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown pixel type"),
    };

    // ---- orientation ----------------------------------------------------------------------------------------------

    private static (Matrix3 Direction, Vec3 Origin) Orientation(Header h, string path)
    {
        if (h.QformCode == 0 && h.SformCode == 0) return (Matrix3.Identity, Vec3.Zero);

        var sform = SformRotation(h);
        if (h.SformCode != 0 && sform is not null)
        {
            bool agrees = h.QformCode != 0 && QformRotation(h) is var (qDir, qOrigin)
                          && qDir.ApproximatelyEquals(sform.Value.Direction, 1e-4) && qOrigin.ApproximatelyEquals(sform.Value.Origin, 1e-3);
            if (h.QformCode == 0 || h.SformCode == XformScannerAnat || agrees)
                return FlipXY(sform.Value.Direction, sform.Value.Origin);
        }
        if (h.QformCode != 0)
        {
            var (dir, origin) = QformRotation(h);
            return FlipXY(dir, origin);
        }
        throw new ImageFormatException(path, "the sform is not a rotation with scaling (it is skewed or singular) and there is no qform");
    }

    /// <summary>RAS ↔ LPS (its own inverse): negate the x and y components of each direction column and of the origin.</summary>
    private static (Matrix3, Vec3) FlipXY(Matrix3 m, Vec3 origin) =>
        (new Matrix3(Negate(m.M00), Negate(m.M01), Negate(m.M02), Negate(m.M10), Negate(m.M11), Negate(m.M12), m.M20, m.M21, m.M22),
         new Vec3(Negate(origin.X), Negate(origin.Y), origin.Z));

    /// <summary>0 − v rather than −v, so that a zero stays +0 and never prints as "-0".</summary>
    private static double Negate(double v) => 0 - v;

    /// <summary>The sform's columns normalised, when they form an orthonormal frame (tolerance as loose as float storage needs).</summary>
    private static (Matrix3 Direction, Vec3 Origin)? SformRotation(Header h)
    {
        var s = h.Srow;
        var c0 = new Vec3(s[0], s[4], s[8]);
        var c1 = new Vec3(s[1], s[5], s[9]);
        var c2 = new Vec3(s[2], s[6], s[10]);
        var origin = new Vec3(s[3], s[7], s[11]);
        if (!c0.IsFinite || !c1.IsFinite || !c2.IsFinite || !origin.IsFinite) return null;
        if (c0.Length == 0 || c1.Length == 0 || c2.Length == 0) return null;
        c0 = c0.Normalized(); c1 = c1.Normalized(); c2 = c2.Normalized();
        const double tolerance = 1e-3;
        if (Math.Abs(c0.Dot(c1)) > tolerance || Math.Abs(c0.Dot(c2)) > tolerance || Math.Abs(c1.Dot(c2)) > tolerance) return null;
        return (Matrix3.FromColumns(c0, c1, c2), origin);
    }

    /// <summary>NIfTI-1 "method 2": rotation from the unit quaternion (b, c, d), a = √(1 − b² − c² − d²), third column times qfac.</summary>
    private static (Matrix3 Direction, Vec3 Origin) QformRotation(Header h)
    {
        double b = h.QuaternB, c = h.QuaternC, d = h.QuaternD;
        double a2 = 1 - (b * b + c * c + d * d);
        double a;
        if (a2 < 1e-7)
        {
            // Rounding made the quaternion slightly longer than 1: a = 0 and (b, c, d) renormalised (nifti1_io does the same).
            double norm = Math.Sqrt(b * b + c * c + d * d);
            if (norm > 0) { b /= norm; c /= norm; d /= norm; }
            a = 0;
        }
        else a = Math.Sqrt(a2);
        double qfac = h.PixDim[0] < 0 ? -1 : 1;
        var r = new Matrix3(
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) * qfac,
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) * qfac,
            2 * (b * d - a * c), 2 * (c * d + a * b), (a * a + d * d - c * c - b * b) * qfac);
        return (r, new Vec3(h.QoffsetX, h.QoffsetY, h.QoffsetZ));
    }

    /// <summary>The unit quaternion (b, c, d) and qfac of an orthonormal RAS rotation (the NIfTI-1 spec's inverse formula).</summary>
    private static (double B, double C, double D, double Qfac) Quaternion(Matrix3 r)
    {
        double qfac = 1;
        if (r.Determinant < 0)
        {
            qfac = -1;
            r = new Matrix3(r.M00, r.M01, -r.M02, r.M10, r.M11, -r.M12, r.M20, r.M21, -r.M22);
        }
        double a = r.M00 + r.M11 + r.M22 + 1, b, c, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r.M21 - r.M12) / a;
            c = 0.25 * (r.M02 - r.M20) / a;
            d = 0.25 * (r.M10 - r.M01) / a;
        }
        else
        {
            double xd = 1 + r.M00 - (r.M11 + r.M22), yd = 1 + r.M11 - (r.M00 + r.M22), zd = 1 + r.M22 - (r.M00 + r.M11);
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd); c = 0.25 * (r.M01 + r.M10) / b; d = 0.25 * (r.M02 + r.M20) / b; a = 0.25 * (r.M21 - r.M12) / b;
            }
            else if (yd > 1)
            {
                c = 0.5 * Math.Sqrt(yd); b = 0.25 * (r.M01 + r.M10) / c; d = 0.25 * (r.M12 + r.M21) / c; a = 0.25 * (r.M02 - r.M20) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd); b = 0.25 * (r.M02 + r.M20) / d; c = 0.25 * (r.M12 + r.M21) / d; a = 0.25 * (r.M10 - r.M01) / d;
            }
            if (a < 0) { b = -b; c = -c; d = -d; }
        }
        return (b, c, d, qfac);
    }

    // ---- header layout --------------------------------------------------------------------------------------------

    private sealed record Header(
        int Size, bool BigEndian, string Magic, int Dimensions, long[] Dim, double[] PixDim, int Datatype, long VoxOffset,
        double SclSlope, double SclInter, int QformCode, int SformCode,
        double QuaternB, double QuaternC, double QuaternD, double QoffsetX, double QoffsetY, double QoffsetZ, double[] Srow);

    /// <summary>Reads fields at byte offsets in the file's byte order.</summary>
    private readonly ref struct Fields(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _b = bytes;
        public short I16(int at) => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(_b[at..]) : BinaryPrimitives.ReadInt16LittleEndian(_b[at..]);
        public int I32(int at) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(_b[at..]) : BinaryPrimitives.ReadInt32LittleEndian(_b[at..]);
        public long I64(int at) => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(_b[at..]) : BinaryPrimitives.ReadInt64LittleEndian(_b[at..]);
        public float F32(int at) => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(_b[at..]) : BinaryPrimitives.ReadSingleLittleEndian(_b[at..]);
        public double F64(int at) => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(_b[at..]) : BinaryPrimitives.ReadDoubleLittleEndian(_b[at..]);
        public string Text(int at, int length)
        {
            var field = _b.Slice(at, length);
            int end = field.IndexOf((byte)0);
            return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
        }
    }

    private static Header ReadHeader(Stream s, string path)
    {
        var bytes = new byte[Nifti2HeaderSize];
        int got = s.ReadAtLeast(bytes.AsSpan(0, Nifti1HeaderSize), Nifti1HeaderSize, throwOnEndOfStream: false);
        if (got < Nifti1HeaderSize)
            throw new ImageFormatException(path, $"file is truncated: {got} bytes is shorter than a NIfTI header (348 bytes)");
        int little = BinaryPrimitives.ReadInt32LittleEndian(bytes), big = BinaryPrimitives.ReadInt32BigEndian(bytes);
        bool bigEndian;
        int size;
        if (little is Nifti1HeaderSize or Nifti2HeaderSize) { bigEndian = false; size = little; }
        else if (big is Nifti1HeaderSize or Nifti2HeaderSize) { bigEndian = true; size = big; }
        else throw new ImageFormatException(path, $"not a NIfTI file: sizeof_hdr is {little}, expected 348 (NIfTI-1) or 540 (NIfTI-2)");
        if (size == Nifti2HeaderSize)
            ImageStreams.ReadExactly(s, bytes.AsSpan(Nifti1HeaderSize, Nifti2HeaderSize - Nifti1HeaderSize), path, "the NIfTI-2 header");
        var f = new Fields(bytes, bigEndian);
        return size == Nifti1HeaderSize ? ParseNifti1(f, bigEndian, path) : ParseNifti2(f, bigEndian, path);
    }

    private static Header ParseNifti1(Fields f, bool bigEndian, string path)
    {
        var magic = f.Text(344, 4);
        if (magic is not ("n+1" or "ni1"))
            throw new ImageFormatException(path, $"NIfTI-1 magic is '{magic}', expected 'n+1' or 'ni1' (plain Analyze 7.5 is not supported)");
        var dim = new long[8];
        var pixdim = new double[8];
        for (int n = 0; n < 8; n++) { dim[n] = f.I16(40 + 2 * n); pixdim[n] = f.F32(76 + 4 * n); }
        var srow = new double[12];
        for (int n = 0; n < 12; n++) srow[n] = f.F32(280 + 4 * n);
        double voxOffset = f.F32(108);
        if (!double.IsFinite(voxOffset) || voxOffset < 0 || voxOffset > int.MaxValue)
            throw new ImageFormatException(path, $"vox_offset {voxOffset} is not a valid byte offset");
        return new Header(Nifti1HeaderSize, bigEndian, magic, (int)dim[0], dim, pixdim, f.I16(70), (long)voxOffset,
            f.F32(112), f.F32(116), f.I16(252), f.I16(254),
            f.F32(256), f.F32(260), f.F32(264), f.F32(268), f.F32(272), f.F32(276), srow);
    }

    private static Header ParseNifti2(Fields f, bool bigEndian, string path)
    {
        var magic = f.Text(4, 8);
        if (magic is not ("n+2" or "ni2"))
            throw new ImageFormatException(path, $"NIfTI-2 magic is '{magic}', expected 'n+2' or 'ni2'");
        var dim = new long[8];
        var pixdim = new double[8];
        for (int n = 0; n < 8; n++) { dim[n] = f.I64(16 + 8 * n); pixdim[n] = f.F64(104 + 8 * n); }
        var srow = new double[12];
        for (int n = 0; n < 12; n++) srow[n] = f.F64(400 + 8 * n);
        if (dim[0] is < 0 or > 7) throw new ImageFormatException(path, $"dim[0] = {dim[0]} is not a dimension count between 1 and 7");
        return new Header(Nifti2HeaderSize, bigEndian, magic, (int)dim[0], dim, pixdim, f.I16(12), f.I64(168),
            f.F64(176), f.F64(184), f.I32(344), f.I32(348),
            f.F64(352), f.F64(360), f.F64(368), f.F64(376), f.F64(384), f.F64(392), srow);
    }

    private static byte[] EncodeHeader(string path, Volume volume, int version, bool bigEndian, bool singleFile)
    {
        var g = volume.Grid;
        var (ras, origin) = FlipXY(g.Direction, g.Origin);
        var (qb, qc, qd, qfac) = Quaternion(ras);
        double[] srow = new double[12];
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 3; col++) srow[4 * row + col] = ras[row, col] * g.Spacing[col];
            srow[4 * row + 3] = origin[row];
        }
        int datatype = DatatypeOf(volume.StoredType);
        int bitpix = 8 * volume.StoredType.Size();
        long[] dims = [3, g.Nx, g.Ny, g.Nz, 1, 1, 1, 1];
        double[] pixdim = [qfac, g.Spacing.X, g.Spacing.Y, g.Spacing.Z, 0, 0, 0, 0];
        const int unitsMillimetre = 2;

        if (version == 1 && Math.Max(g.Nx, Math.Max(g.Ny, g.Nz)) > short.MaxValue)
            throw new ImageFormatException(path, $"a {g.Nx}×{g.Ny}×{g.Nz} volume is too large for NIfTI-1 (at most {short.MaxValue} per axis); write NIfTI-2");
        int headerSize = version == 1 ? Nifti1HeaderSize : Nifti2HeaderSize;
        // A single file carries the 4-byte extension flag (all zero: no extensions) before the data.
        var bytes = new byte[singleFile ? headerSize + 4 : headerSize];
        var w = new FieldWriter(bytes, bigEndian);
        if (version == 1)
        {
            w.I32(0, Nifti1HeaderSize);
            for (int n = 0; n < 8; n++) { w.I16(40 + 2 * n, (short)dims[n]); w.F32(76 + 4 * n, pixdim[n]); }
            w.I16(70, (short)datatype); w.I16(72, (short)bitpix);
            w.F32(108, singleFile ? headerSize + 4 : 0);
            w.F32(112, 1); w.F32(116, 0);
            bytes[123] = unitsMillimetre;
            w.I16(252, XformScannerAnat); w.I16(254, XformScannerAnat);
            w.F32(256, qb); w.F32(260, qc); w.F32(264, qd);
            w.F32(268, origin.X); w.F32(272, origin.Y); w.F32(276, origin.Z);
            for (int n = 0; n < 12; n++) w.F32(280 + 4 * n, srow[n]);
            Encoding.ASCII.GetBytes(singleFile ? "n+1" : "ni1").CopyTo(bytes, 344);
        }
        else
        {
            w.I32(0, Nifti2HeaderSize);
            Encoding.ASCII.GetBytes(singleFile ? "n+2\0\r\n\u001a\n" : "ni2\0\r\n\u001a\n").CopyTo(bytes, 4);
            w.I16(12, (short)datatype); w.I16(14, (short)bitpix);
            for (int n = 0; n < 8; n++) { w.I64(16 + 8 * n, dims[n]); w.F64(104 + 8 * n, pixdim[n]); }
            w.I64(168, singleFile ? headerSize + 4 : 0);
            w.F64(176, 1); w.F64(184, 0);
            w.I32(344, XformScannerAnat); w.I32(348, XformScannerAnat);
            w.F64(352, qb); w.F64(360, qc); w.F64(368, qd);
            w.F64(376, origin.X); w.F64(384, origin.Y); w.F64(392, origin.Z);
            for (int n = 0; n < 12; n++) w.F64(400 + 8 * n, srow[n]);
            w.I32(500, unitsMillimetre);
        }
        return bytes;
    }

    private readonly struct FieldWriter(byte[] bytes, bool bigEndian)
    {
        public void I16(int at, short v) { if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(at), v); }
        public void I32(int at, int v) { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), v); }
        public void I64(int at, long v) { if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), v); }
        public void F32(int at, double v) { if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(at), (float)v); else BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), (float)v); }
        public void F64(int at, double v) { if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(at), v); else BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), v); }
    }
}
