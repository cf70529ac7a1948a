using System.Buffers;
using System.IO.Compression;

namespace Habitat.Imaging.IO;

/// <summary>File plumbing shared by the format readers and writers: gzip sniffing, exact reads that report
/// truncation, size guards applied before allocating, and atomic writes.</summary>
internal static class ImageStreams
{
    /// <summary>Deflate cannot compress better than about 1032:1; a claim beyond that means the file is truncated or lies.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Voxel bytes are read and decoded in chunks of this size (a multiple of every voxel size).</summary>
    private const int ChunkBytes = 1 << 18;

    public static bool StartsWithGzipMagic(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B;

    /// <summary>Opens a file for reading, decompressing it transparently when it starts with the gzip magic.</summary>
    public static Stream OpenRead(string path, out bool gzipped)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        int got = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = 0;
        gzipped = StartsWithGzipMagic(head[..got]);
        return gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>The first bytes of a file (decompressed when gzipped), as many as exist up to <paramref name="count"/>.</summary>
    public static byte[] Peek(string path, int count)
    {
        using var s = OpenRead(path, out _);
        var buffer = new byte[count];
        int got = s.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return buffer[..got];
    }

    /// <summary>Fills <paramref name="buffer"/> or fails with an <see cref="ImageFormatException"/> saying what was cut short.</summary>
    public static void ReadExactly(Stream s, Span<byte> buffer, string path, string what)
    {
        int got = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (got < buffer.Length)
            throw new ImageFormatException(path, $"file is truncated: {what} needs {buffer.Length} bytes but only {got} remain");
    }

    /// <summary>Skips <paramref name="count"/> bytes (seeking when possible) or fails naming what was being skipped.</summary>
    public static void Skip(Stream s, long count, string path, string what)
    {
        if (count <= 0) return;
        if (s.CanSeek)
        {
            if (s.Position + count > s.Length)
                throw new ImageFormatException(path, $"file is truncated: {what} ({count} bytes) runs past the end of the file");
            s.Position += count;
            return;
        }
        var scratch = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int chunk = (int)Math.Min(count, scratch.Length);
            ReadExactly(s, scratch.AsSpan(0, chunk), path, what);
            count -= chunk;
        }
    }

    /// <summary>
    /// The product of the axis sizes, refusing a non-positive size or a total beyond what one array can hold
    /// (checked axis by axis, so absurd sizes cannot overflow the product).
    /// </summary>
    public static long VoxelCount(string path, params ReadOnlySpan<long> sizes)
    {
        long limit = Math.Min(Grid.MaxVoxels, Array.MaxLength);
        long total = 1;
        foreach (var size in sizes)
        {
            if (size <= 0)
                throw new ImageFormatException(path, $"image size {string.Join("×", sizes.ToArray())} has a non-positive axis");
            if (size > limit || total > limit / size)
                throw new ImageFormatException(path, $"image size {string.Join("×", sizes.ToArray())} exceeds the {limit} voxels this reader accepts");
            total *= size;
        }
        return total;
    }

    /// <summary>
    /// Checks that a payload of <paramref name="voxels"/> voxels (from <see cref="VoxelCount"/>) of <paramref name="type"/>
    /// fits one buffer and can possibly be in the file (on disk from <paramref name="offset"/> on), before anything is
    /// allocated. Returns the payload length in bytes.
    /// </summary>
    public static int CheckPayload(string path, long voxels, PixelType type, long offset, bool gzipped)
    {
        long bytes = voxels * type.Size();
        if (bytes > Array.MaxLength)
            throw new ImageFormatException(path, $"image payload of {voxels} voxels of {type} ({bytes} bytes) is too large to read");
        long onDisk = new FileInfo(path).Length;
        long possible = gzipped ? onDisk * MaxDeflateRatio : onDisk - offset;
        if (bytes > possible)
            throw new ImageFormatException(path, gzipped
                ? $"header claims {bytes} bytes of voxel data, more than a {onDisk}-byte compressed file can hold"
                : $"file is truncated: header claims {bytes} bytes of voxel data from offset {offset}, but the file holds {onDisk} bytes");
        return (int)bytes;
    }

    /// <summary>
    /// Reads <paramref name="count"/> voxels of <paramref name="type"/> from the stream's current position and decodes
    /// them, one cache-sized chunk at a time (no file-sized byte buffer: only the float array is allocated).
    /// </summary>
    public static float[] ReadVoxels(Stream s, int count, PixelType type, bool bigEndian, string path)
    {
        int size = type.Size();
        var voxels = GC.AllocateUninitializedArray<float>(count);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int done = 0;
            while (done < count)
            {
                int n = Math.Min(count - done, ChunkBytes / size);
                var bytes = chunk.AsSpan(0, n * size);
                int got = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                if (got < bytes.Length)
                    throw new ImageFormatException(path,
                        $"file is truncated: the voxel data needs {(long)count * size} bytes but only {(long)done * size + got} remain");
                VoxelCodec.Decode(bytes, type, bigEndian, voxels.AsSpan(done, n));
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return voxels;
    }

    /// <summary>
    /// Runs a reader, turning the exceptions that malformed content provokes from the framework
    /// (bad compressed data, invalid geometry, numeric overflow) into <see cref="ImageFormatException"/> naming the file.
    /// </summary>
    public static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(path, $"compressed data is corrupt ({e.Message})", e);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or EndOfStreamException)
        {
            throw new ImageFormatException(path, e.Message, e);
        }
    }

    /// <summary>Writes a file atomically: into a temporary file in the same folder, then moved over the target.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                write(file);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes bytes gzip-compressed (or as they are) atomically.</summary>
    public static void WriteAtomically(string path, bool gzip, params byte[][] parts) =>
        WriteAtomically(path, file =>
        {
            // Fastest: noisy MRI volumes shrink only a few per cent more at Optimal, for several times the time.
            using var target = gzip ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : file;
            foreach (var part in parts) target.Write(part);
        });
}
