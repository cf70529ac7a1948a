using System.Buffers.Binary;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>
/// RLE Lossless decoding (PS3.5 Annex G): a frame is a 64-byte header (segment count, then up to 15 segment
/// offsets) followed by PackBits-compressed segments, one per byte plane — for each sample, the most
/// significant byte first.
/// </summary>
internal static class RleLossless
{
    /// <summary>Decodes one frame into byte planes: plane <c>s·bytesPerSample + b</c> holds byte <c>b</c>
    /// (0 = most significant) of sample <c>s</c> of every pixel.</summary>
    public static byte[][] DecodeFrame(ReadOnlySpan<byte> frame, int pixels, int planes, string source)
    {
        if (frame.Length < 64) throw new ImageFormatException(source, $"RLE frame of {frame.Length} bytes is shorter than its 64-byte header");
        uint segments = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segments != planes)
            throw new ImageFormatException(source, $"RLE frame has {segments} segments, the image needs {planes} (samples × bytes per sample)");
        var result = new byte[planes][];
        for (int s = 0; s < planes; s++)
        {
            uint start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + 4 * s)..]);
            uint end = s + 1 < planes ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + 4 * s)..]) : (uint)frame.Length;
            if (start < 64 || end < start || end > frame.Length)
                throw new ImageFormatException(source, $"RLE segment {s + 1} spans bytes {start}..{end} of a {frame.Length}-byte frame");
            result[s] = new byte[pixels];
            UnpackBits(frame[(int)start..(int)end], result[s], source, s + 1);
        }
        return result;
    }

    /// <summary>PackBits (PS3.5 §G.3.1): header n in 0..127 copies the next n+1 bytes; n in -127..-1 repeats the
    /// next byte 1-n times; -128 is a no-op. Encoders may pad a segment, so output past the plane is dropped.</summary>
    private static void UnpackBits(ReadOnlySpan<byte> segment, Span<byte> plane, string source, int segmentNumber)
    {
        int i = 0, o = 0;
        while (o < plane.Length && i < segment.Length)
        {
            int n = (sbyte)segment[i++];
            if (n >= 0)
            {
                int count = Math.Min(n + 1, Math.Min(segment.Length - i, plane.Length - o));
                segment.Slice(i, count).CopyTo(plane[o..]);
                i += n + 1;
                o += count;
            }
            else if (n != -128)
            {
                if (i >= segment.Length) break;
                int count = Math.Min(1 - n, plane.Length - o);
                plane.Slice(o, count).Fill(segment[i++]);
                o += count;
            }
        }
        if (o < plane.Length)
            throw new ImageFormatException(source, $"RLE segment {segmentNumber} decodes to {o} bytes, the frame needs {plane.Length}");
    }
}
