using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>The Image Pixel module (PS3.3 C.7.6.3) of a file, validated: what one frame's samples look like.</summary>
public sealed record DicomPixelFormat(
    int Rows, int Columns, int SamplesPerPixel, int BitsAllocated, int BitsStored, int HighBit,
    bool Signed, string Photometric, int PlanarConfiguration, int Frames)
{
    public int PixelsPerFrame => Rows * Columns;
    public int SamplesPerFrame => Rows * Columns * SamplesPerPixel;

    /// <summary>The integer type that holds the stored values.</summary>
    public PixelType StoredType => (BitsAllocated, Signed) switch
    {
        (1, _) or (8, false) => PixelType.UInt8,
        (8, true) => PixelType.Int8,
        (16, false) => PixelType.UInt16,
        (16, true) => PixelType.Int16,
        (_, false) => PixelType.UInt32,
        _ => PixelType.Int32,
    };

    public static DicomPixelFormat Of(DicomFile file)
    {
        var ds = file.Dataset;
        int rows = Required(file, DicomTags.Rows), columns = Required(file, DicomTags.Columns);
        int bitsAllocated = Required(file, DicomTags.BitsAllocated);
        int samples = ds.GetInt(DicomTags.SamplesPerPixel) ?? 1;
        int bitsStored = ds.GetInt(DicomTags.BitsStored) ?? bitsAllocated;
        int highBit = ds.GetInt(DicomTags.HighBit) ?? bitsStored - 1;
        int representation = ds.GetInt(DicomTags.PixelRepresentation) ?? 0;
        int frames = ds.GetInt(DicomTags.NumberOfFrames) ?? 1;
        string Problem(string what) => $"unsupported or invalid image pixel description: {what}";
        if (rows is < 1 or > 65535 || columns is < 1 or > 65535) throw new ImageFormatException(file.Path, Problem($"{rows} rows × {columns} columns"));
        if (bitsAllocated is not (1 or 8 or 16 or 32)) throw new ImageFormatException(file.Path, Problem($"Bits Allocated {bitsAllocated}"));
        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
            throw new ImageFormatException(file.Path, Problem($"Bits Stored {bitsStored}, High Bit {highBit} with Bits Allocated {bitsAllocated}"));
        if (samples is not (1 or 3)) throw new ImageFormatException(file.Path, Problem($"Samples per Pixel {samples}"));
        if (representation is not (0 or 1)) throw new ImageFormatException(file.Path, Problem($"Pixel Representation {representation}"));
        if (frames < 1) throw new ImageFormatException(file.Path, Problem($"Number of Frames {frames}"));
        if ((long)rows * columns * samples * frames > Array.MaxLength)
            throw new ImageFormatException(file.Path, Problem($"{frames} frames of {rows}×{columns}×{samples} samples exceed {Array.MaxLength} samples"));
        return new DicomPixelFormat(rows, columns, samples, bitsAllocated, bitsStored, highBit, representation == 1,
            ds.GetString(DicomTags.PhotometricInterpretation) ?? "MONOCHROME2", ds.GetInt(DicomTags.PlanarConfiguration) ?? 0, frames);
    }

    private static int Required(DicomFile file, uint tag) =>
        file.Dataset.GetInt(tag) ?? throw new ImageFormatException(file.Path, $"{DicomTags.Describe(tag)} is missing");
}

/// <summary>
/// Decodes the stored values of one frame (no rescale) from native pixel data — any byte order, bits
/// stored narrower than bits allocated, 1-bit packed — or from RLE Lossless. The JPEG family is refused
/// with the name of its transfer syntax.
/// </summary>
public static class DicomPixelData
{
    /// <summary>Writes frame <paramref name="frame"/>'s <see cref="DicomPixelFormat.SamplesPerFrame"/> stored
    /// values to <paramref name="destination"/>, sample planes one after the other (colour images: all R, all G, all B).</summary>
    public static void DecodeFrame(DicomFile file, DicomPixelFormat format, int frame, Span<float> destination)
    {
        if (file.HeaderOnly) throw new InvalidOperationException($"{file.Path} was read without its pixel data; use WithPixelData()");
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, format.Frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, format.SamplesPerFrame);
        var syntax = file.TransferSyntax;
        if (!syntax.PixelsDecodable)
            throw new ImageFormatException(file.Path,
                $"pixel data is compressed as {syntax.Name} (transfer syntax {syntax.Uid}), which Habitat does not decode; " +
                "convert the files to an uncompressed transfer syntax first (e.g. gdcmconv --raw or dcmdjpeg)");
        var ds = file.Dataset;
        if (!ds.TryGet(DicomTags.PixelData, out var element)) throw new ImageFormatException(file.Path, "the file holds no Pixel Data (7FE0,0010)");
        var bits = new StoredBits(format);
        if (element.IsEncapsulated != syntax.Encapsulated)
            throw ds.Error(element, element.IsEncapsulated ? $"encapsulated pixel data in the native transfer syntax {syntax.Name}" : $"native pixel data in the encapsulated transfer syntax {syntax.Name}");
        if (element.IsEncapsulated)
        {
            if (format.BitsAllocated == 1) throw ds.Error(element, "RLE with 1-bit pixels is not supported");
            var frameBytes = FrameOfEncapsulated(ds, element, format.Frames, frame);
            var planes = RleLossless.DecodeFrame(frameBytes, format.PixelsPerFrame, format.SamplesPerPixel * format.BitsAllocated / 8, file.Path);
            ComposePlanes(planes, format, bits, destination);
            return;
        }
        var data = ds.ValueBytes(element);
        if (format.BitsAllocated == 1)
        {
            long firstBit = (long)frame * format.SamplesPerFrame;
            if ((firstBit + format.SamplesPerFrame + 7) / 8 > data.Length)
                throw ds.Error(element, $"holds {data.Length} bytes, too few for {format.Frames} 1-bit frame(s) of {format.Rows}×{format.Columns}");
            UnpackBitsLsbFirst(data, firstBit, destination[..format.SamplesPerFrame]);
            return;
        }
        int bytesPerFrame = format.SamplesPerFrame * (format.BitsAllocated / 8);
        if ((long)bytesPerFrame * format.Frames > data.Length)
            throw ds.Error(element, $"holds {data.Length} bytes, but {format.Frames} frame(s) of {format.Rows}×{format.Columns}×{format.SamplesPerPixel} samples at {format.BitsAllocated} bits need {(long)bytesPerFrame * format.Frames}");
        var frameData = data.Slice(frame * bytesPerFrame, bytesPerFrame);
        // Explicit VR big endian swaps OW data in 16-bit words, so 8-bit samples in OW come in swapped pairs (PS3.5 §7.3).
        bool swappedBytePairs = syntax.BigEndian && format.BitsAllocated == 8 && element.Vr == DicomVr.OW;
        ConvertNative(frameData, format, bits, syntax.BigEndian, swappedBytePairs, destination);
    }

    /// <summary>How stored bits sit in an allocated sample (PS3.5 §8.1.1): value = (raw >> shift) &amp; mask,
    /// two's complement sign-extended when signed.</summary>
    private readonly struct StoredBits(DicomPixelFormat f)
    {
        private readonly int _shift = f.HighBit + 1 - f.BitsStored;
        private readonly uint _mask = f.BitsStored == 32 ? uint.MaxValue : (1u << f.BitsStored) - 1;
        private readonly uint _signBit = 1u << (f.BitsStored - 1);
        private readonly bool _signed = f.Signed;

        /// <summary>The stored bits fill the allocated sample: the raw value needs no shift or mask.</summary>
        public bool IsWholeWord { get; } = f.HighBit + 1 == f.BitsAllocated && f.BitsStored == f.BitsAllocated;

        public float Value(uint raw)
        {
            uint v = (raw >> _shift) & _mask;
            return _signed && (v & _signBit) != 0 ? (int)(v | ~_mask) : v;
        }
    }

    private static void ConvertNative(ReadOnlySpan<byte> data, DicomPixelFormat f, StoredBits bits, bool bigEndian, bool swappedBytePairs, Span<float> dst)
    {
        int n = f.SamplesPerFrame;
        bool interleaved = f.SamplesPerPixel > 1 && f.PlanarConfiguration == 0;
        var values = interleaved ? new float[n] : dst[..n];
        switch (f.BitsAllocated)
        {
            case 16 when !bigEndian && bits.IsWholeWord && f.Signed:
                var shorts = MemoryMarshal.Cast<byte, short>(data);
                for (int s = 0; s < n; s++) values[s] = shorts[s];
                break;
            case 16 when !bigEndian && bits.IsWholeWord:
                var ushorts = MemoryMarshal.Cast<byte, ushort>(data);
                for (int s = 0; s < n; s++) values[s] = ushorts[s];
                break;
            case 8:
                for (int s = 0; s < n; s++) values[s] = bits.Value(data[swappedBytePairs ? s ^ 1 : s]);
                break;
            case 16:
                var words = MemoryMarshal.Cast<byte, ushort>(data);
                for (int s = 0; s < n; s++) values[s] = bits.Value(bigEndian ? BinaryPrimitives.ReverseEndianness(words[s]) : words[s]);
                break;
            default:
                var dwords = MemoryMarshal.Cast<byte, uint>(data);
                for (int s = 0; s < n; s++) values[s] = bits.Value(bigEndian ? BinaryPrimitives.ReverseEndianness(dwords[s]) : dwords[s]);
                break;
        }
        if (interleaved)
        {
            // Colour-by-pixel (R G B R G B …) → colour-by-plane.
            int spp = f.SamplesPerPixel, ppf = f.PixelsPerFrame;
            for (int s = 0; s < n; s++) dst[s % spp * ppf + s / spp] = values[s];
        }
    }

    private static void ComposePlanes(byte[][] planes, DicomPixelFormat f, StoredBits bits, Span<float> dst)
    {
        int bytesPerSample = f.BitsAllocated / 8, ppf = f.PixelsPerFrame;
        for (int sample = 0; sample < f.SamplesPerPixel; sample++)
            for (int p = 0; p < ppf; p++)
            {
                uint raw = 0;
                for (int b = 0; b < bytesPerSample; b++) raw = raw << 8 | planes[sample * bytesPerSample + b][p];
                dst[sample * ppf + p] = bits.Value(raw);
            }
    }

    /// <summary>1-bit pixel data (PS3.5 §8.1.1): pixels packed without padding across frames, first pixel in the lowest bit.</summary>
    private static void UnpackBitsLsbFirst(ReadOnlySpan<byte> data, long firstBit, Span<float> dst)
    {
        for (int n = 0; n < dst.Length; n++)
        {
            long bit = firstBit + n;
            dst[n] = (data[(int)(bit >> 3)] >> (int)(bit & 7)) & 1;
        }
    }

    /// <summary>The bytes of one frame of encapsulated pixel data (PS3.5 §A.4): one fragment per frame, all
    /// fragments for a single frame, or the fragments the basic offset table assigns to the frame.</summary>
    private static ReadOnlySpan<byte> FrameOfEncapsulated(DicomDataset ds, DicomElement element, int frames, int frame)
    {
        var fragments = element.Fragments!;
        if (fragments.Count < 2) throw ds.Error(element, "encapsulated pixel data holds no fragments");
        int count = fragments.Count - 1;
        if (count == frames) return ds.Buffer.AsSpan(fragments[frame + 1].Offset, fragments[frame + 1].Length);
        var offsetTable = ds.Buffer.AsSpan(fragments[0].Offset, fragments[0].Length);
        int firstItem = fragments[1].Offset - 8;
        long from, to;
        if (frames == 1) (from, to) = (0, long.MaxValue);
        else if (offsetTable.Length == 4 * frames)
        {
            from = BinaryPrimitives.ReadUInt32LittleEndian(offsetTable[(4 * frame)..]);
            to = frame + 1 < frames ? BinaryPrimitives.ReadUInt32LittleEndian(offsetTable[(4 * frame + 4)..]) : long.MaxValue;
        }
        else throw ds.Error(element, $"{count} fragments for {frames} frames and no usable basic offset table");
        var joined = new List<byte>();
        foreach (var fragment in fragments.Skip(1))
        {
            long at = fragment.Offset - 8 - firstItem;
            if (at >= from && at < to) joined.AddRange(ds.Buffer.AsSpan(fragment.Offset, fragment.Length));
        }
        if (joined.Count == 0) throw ds.Error(element, $"the basic offset table assigns no fragment to frame {frame + 1}");
        return CollectionsMarshal.AsSpan(joined);
    }
}
