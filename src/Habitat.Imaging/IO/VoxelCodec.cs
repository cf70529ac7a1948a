using System.Buffers.Binary;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Habitat.Imaging.IO;

/// <summary>
/// Converts raw voxel bytes of any <see cref="PixelType"/> and either byte order to float and back.
/// Whole buffers at a time: the bytes are reinterpreted as the stored type (MemoryMarshal), swapped in place when the
/// file's byte order is not the machine's, then converted with TensorPrimitives — never one read call per voxel.
/// </summary>
internal static class VoxelCodec
{
    /// <summary>Decodes <c>voxels.Length</c> values from the front of <paramref name="raw"/>; swaps <paramref name="raw"/> in place if needed.</summary>
    public static void Decode(Span<byte> raw, PixelType type, bool bigEndian, Span<float> voxels)
    {
        raw = raw[..(voxels.Length * type.Size())];
        if (bigEndian == BitConverter.IsLittleEndian) SwapInPlace(raw, type.Size());
        switch (type)
        {
            case PixelType.UInt8: TensorPrimitives.ConvertTruncating<byte, float>(raw, voxels); break;
            case PixelType.Int8: Convert<sbyte>(raw, voxels); break;
            case PixelType.UInt16: Convert<ushort>(raw, voxels); break;
            case PixelType.Int16: Convert<short>(raw, voxels); break;
            case PixelType.UInt32: Convert<uint>(raw, voxels); break;
            case PixelType.Int32: Convert<int>(raw, voxels); break;
            case PixelType.UInt64: Convert<ulong>(raw, voxels); break;
            case PixelType.Int64: Convert<long>(raw, voxels); break;
            case PixelType.Float32: MemoryMarshal.Cast<byte, float>(raw).CopyTo(voxels); break;
            case PixelType.Float64: Convert<double>(raw, voxels); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "unknown pixel type");
        }
    }

    private static void Convert<T>(Span<byte> raw, Span<float> voxels) where T : unmanaged, INumberBase<T> =>
        TensorPrimitives.ConvertTruncating<T, float>(MemoryMarshal.Cast<byte, T>(raw), voxels);

    /// <summary>
    /// Encodes voxels as <paramref name="type"/> in the given byte order. Integer types take the nearest integer
    /// (ties to even); a NaN, infinite or out-of-range value is an <see cref="ImageFormatException"/> naming the voxel,
    /// because silently clamping would change the image.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<float> voxels, PixelType type, bool bigEndian, string file)
    {
        long length = (long)voxels.Length * type.Size();
        if (length > Array.MaxLength)
            throw new ImageFormatException(file, $"{voxels.Length} voxels of {type} ({length} bytes) are too many for one file buffer");
        var bytes = new byte[length];
        switch (type)
        {
            case PixelType.UInt8: EncodeInteger<byte>(voxels, bytes, type, file); break;
            case PixelType.Int8: EncodeInteger<sbyte>(voxels, bytes, type, file); break;
            case PixelType.UInt16: EncodeInteger<ushort>(voxels, bytes, type, file); break;
            case PixelType.Int16: EncodeInteger<short>(voxels, bytes, type, file); break;
            case PixelType.UInt32: EncodeInteger<uint>(voxels, bytes, type, file); break;
            case PixelType.Int32: EncodeInteger<int>(voxels, bytes, type, file); break;
            case PixelType.UInt64: EncodeInteger<ulong>(voxels, bytes, type, file); break;
            case PixelType.Int64: EncodeInteger<long>(voxels, bytes, type, file); break;
            case PixelType.Float32: voxels.CopyTo(MemoryMarshal.Cast<byte, float>(bytes.AsSpan())); break;
            case PixelType.Float64: TensorPrimitives.ConvertTruncating<float, double>(voxels, MemoryMarshal.Cast<byte, double>(bytes.AsSpan())); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "unknown pixel type");
        }
        if (bigEndian == BitConverter.IsLittleEndian) SwapInPlace(bytes, type.Size());
        return bytes;
    }

    private static void EncodeInteger<T>(ReadOnlySpan<float> voxels, Span<byte> bytes, PixelType type, string file)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var target = MemoryMarshal.Cast<byte, T>(bytes);
        double min = double.CreateTruncating(T.MinValue);
        // (double)MaxValue + 1 is exact for 8-32 bit types and rounds to 2^63 / 2^64 for the 64-bit ones: an exclusive bound.
        double maxExclusive = double.CreateTruncating(T.MaxValue) + 1;
        for (int n = 0; n < voxels.Length; n++)
        {
            double rounded = Math.Round(voxels[n]);
            if (!(rounded >= min && rounded < maxExclusive))
                throw new ImageFormatException(file, $"voxel {n} holds {voxels[n]}, which cannot be stored as {type}; write the volume as Float32 instead");
            target[n] = T.CreateTruncating(rounded);
        }
    }

    private static void SwapInPlace(Span<byte> raw, int size)
    {
        switch (size)
        {
            case 2: var s = MemoryMarshal.Cast<byte, ushort>(raw); BinaryPrimitives.ReverseEndianness(s, s); break;
            case 4: var i = MemoryMarshal.Cast<byte, uint>(raw); BinaryPrimitives.ReverseEndianness(i, i); break;
            case 8: var l = MemoryMarshal.Cast<byte, ulong>(raw); BinaryPrimitives.ReverseEndianness(l, l); break;
        }
    }
}
