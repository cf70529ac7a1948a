using System.Buffers.Binary;
using System.Text;
using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

/// <summary>
/// Seeded, deterministic fuzzing: thousands of corrupted copies (byte flips, truncations, header field edits) of small
/// valid files of every format and layout. Each copy must either read or fail with <see cref="ImageFormatException"/>;
/// any other exception (IndexOutOfRange, NullReference, OutOfMemory, raw EndOfStream, …) is a failure.
/// </summary>
public class MutationTests
{
    private const int MutationsPerSeed = 300;

    /// <summary>A valid seed: the file to read and the files (header and data) that may be corrupted.</summary>
    private sealed record Seed(string Name, string ReadPath, string[] Files, bool TextHeader);

    private static List<Seed> WriteSeeds(string dir)
    {
        var grid = new Grid(4, 3, 2, new Vec3(0.5, 0.75, 2), new Vec3(-3, 4, 5),
            Matrix3.FromColumns(new Vec3(0, 1, 0), new Vec3(-1, 0, 0), new Vec3(0, 0, 1)));
        var voxels = new float[grid.Count];
        for (int n = 0; n < voxels.Length; n++) voxels[n] = (n * 37 % 101) - 20;
        var int16 = new Volume(grid, voxels, PixelType.Int16);
        var float64 = new Volume(grid, voxels, PixelType.Float64);
        string P(string name) => Path.Combine(dir, name);

        Nifti.Write(int16, P("a.nii.gz"));
        Nifti.Write(float64, P("b.nii"), bigEndian: true);
        Nifti.Write(int16, P("c.nii"), version: 2);
        Nifti.Write(int16, P("d.hdr"));
        Nrrd.Write(int16, P("e.nrrd"));
        Nrrd.Write(float64, P("f.nrrd"), compress: false, bigEndian: true);
        Nrrd.Write(int16, P("g.nhdr"), compress: false);
        MetaImage.Write(int16, P("h.mha"));
        MetaImage.Write(float64, P("i.mha"), compress: false, bigEndian: true);
        MetaImage.Write(int16, P("j.mhd"));
        return
        [
            new("nii.gz", P("a.nii.gz"), [P("a.nii.gz")], false),
            new("nii big-endian", P("b.nii"), [P("b.nii")], false),
            new("nii-2", P("c.nii"), [P("c.nii")], false),
            new("hdr/img", P("d.hdr"), [P("d.hdr"), P("d.img")], false),
            new("nrrd gzip", P("e.nrrd"), [P("e.nrrd")], true),
            new("nrrd raw big-endian", P("f.nrrd"), [P("f.nrrd")], true),
            new("nhdr/raw", P("g.nhdr"), [P("g.nhdr"), P("g.raw")], true),
            new("mha zlib", P("h.mha"), [P("h.mha")], true),
            new("mha raw big-endian", P("i.mha"), [P("i.mha")], true),
            new("mhd/zraw", P("j.mhd"), [P("j.mhd"), P("j.zraw")], true),
        ];
    }

    private static readonly string[] NastyTokens =
        ["-1", "0", "1", "3", "nan", "inf", "-inf", "1e308", "-1e308", "2147483648", "99999999999999999999", "abc", "", "1.5", "(", ")", "none", "LOCAL", "x.raw"];
    private static readonly long[] NastyIntegers = [0, -1, 1, 2, 3, 4, 7, 8, 16, 64, 128, 256, 348, 352, 540, 512, 768, 1024, 1280, short.MaxValue, short.MinValue, int.MaxValue, int.MinValue, long.MaxValue];
    private static readonly double[] NastyFloats = [0, -1, 1, 0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e30, -1e30, 1e-30, 352, 1e9];

    [Fact]
    public void CorruptedFilesReadOrFailWithTheTypedException()
    {
        using var seedDir = new TempDir();
        using var workDir = new TempDir();
        var seeds = WriteSeeds(seedDir.Path);
        var rng = new Random(20261126);
        var failures = new List<string>();
        int read = 0, refused = 0;
        foreach (var seed in seeds)
        {
            var originals = seed.Files.Select(File.ReadAllBytes).ToArray();
            var workPaths = seed.Files.Select(f => Path.Combine(workDir.Path, Path.GetFileName(f))).ToArray();
            for (int f = 0; f < originals.Length; f++) File.WriteAllBytes(workPaths[f], originals[f]);
            Assert.True(ImageFile.Read(workPaths[0]).Voxels.Length == 24, $"seed {seed.Name} must be valid");
            for (int m = 0; m < MutationsPerSeed; m++)
            {
                int target = rng.Next(originals.Length);
                var (mutated, what) = Mutate(originals[target], seed.TextHeader && target == 0, rng);
                File.WriteAllBytes(workPaths[target], mutated);
                try
                {
                    ImageFile.Read(workPaths[0]);
                    read++;
                }
                catch (ImageFormatException e)
                {
                    refused++;
                    if (!e.Message.Contains(workDir.Path, StringComparison.Ordinal))
                        failures.Add($"{seed.Name} #{m} ({what}): message does not name the file: {e.Message}");
                }
                catch (Exception e)
                {
                    failures.Add($"{seed.Name} #{m} ({what}): {e.GetType().Name}: {e.Message}");
                }
                File.WriteAllBytes(workPaths[target], originals[target]);
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Count * MutationsPerSeed} mutations escaped:\n" + string.Join("\n", failures.Take(20)));
        // The corruption must actually bite: most copies are refused, and some survive (harmless edits).
        Assert.True(refused > seeds.Count * MutationsPerSeed / 4, $"only {refused} corrupted copies were refused");
        Assert.True(read > 0);
    }

    private static (byte[] Bytes, string What) Mutate(byte[] original, bool textHeader, Random rng)
    {
        var bytes = (byte[])original.Clone();
        switch (rng.Next(4))
        {
            case 0:
            {
                int flips = 1 + rng.Next(8);
                // Half of the flips land in the first 600 bytes, where the headers are.
                for (int n = 0; n < flips; n++)
                {
                    int at = rng.Next(2) == 0 ? rng.Next(Math.Min(600, bytes.Length)) : rng.Next(bytes.Length);
                    bytes[at] = (byte)rng.Next(256);
                }
                return (bytes, $"{flips} byte flips");
            }
            case 1:
            {
                int length = rng.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length} bytes");
            }
            default:
                return textHeader ? EditTextField(bytes, rng) : EditBinaryField(bytes, rng);
        }
    }

    /// <summary>Replaces one token of one header line with a hostile value, or deletes or duplicates the line.</summary>
    private static (byte[], string) EditTextField(byte[] bytes, Random rng)
    {
        int headerEnd = Math.Min(bytes.Length, 800);
        var text = Encoding.Latin1.GetString(bytes, 0, headerEnd);
        int lastLine = text.LastIndexOf('\n', Math.Max(0, text.IndexOf("\n\n", StringComparison.Ordinal) is var b and >= 0 ? b : text.Length - 1));
        var headerText = text[..(lastLine + 1)];
        var lines = headerText.Split('\n').ToList();
        int row = rng.Next(Math.Max(1, lines.Count - 1));
        string what;
        switch (rng.Next(4))
        {
            case 0: what = $"deleted line '{lines[row]}'"; lines.RemoveAt(row); break;
            case 1: what = $"duplicated line '{lines[row]}'"; lines.Insert(row, lines[row]); break;
            default:
                var tokens = lines[row].Split(' ');
                int t = rng.Next(tokens.Length);
                var token = NastyTokens[rng.Next(NastyTokens.Length)];
                what = $"line '{lines[row]}' token {t} → '{token}'";
                tokens[t] = token;
                lines[row] = string.Join(' ', tokens);
                break;
        }
        var edited = Encoding.Latin1.GetBytes(string.Join('\n', lines));
        return ([.. edited, .. bytes.AsSpan(headerText.Length)], what);
    }

    /// <summary>Writes a hostile 2-, 4- or 8-byte integer or float at an aligned offset inside the binary header.</summary>
    private static (byte[], string) EditBinaryField(byte[] bytes, Random rng)
    {
        bool gz = bytes.Length > 1 && bytes[0] == 0x1F && bytes[1] == 0x8B;
        if (gz) bytes = Gunzip(bytes);
        int width = new[] { 2, 4, 8 }[rng.Next(3)];
        int at = rng.Next(Math.Min(bytes.Length, 544) / width) * width;
        bool big = rng.Next(2) == 0;
        var span = bytes.AsSpan(at, Math.Min(width, bytes.Length - at));
        string what;
        if (span.Length < width) return (bytes, "no edit");
        if (width > 2 && rng.Next(2) == 0)
        {
            double v = NastyFloats[rng.Next(NastyFloats.Length)];
            if (width == 4) { if (big) BinaryPrimitives.WriteSingleBigEndian(span, (float)v); else BinaryPrimitives.WriteSingleLittleEndian(span, (float)v); }
            else { if (big) BinaryPrimitives.WriteDoubleBigEndian(span, v); else BinaryPrimitives.WriteDoubleLittleEndian(span, v); }
            what = $"float{width * 8} {v} at {at}";
        }
        else
        {
            long v = NastyIntegers[rng.Next(NastyIntegers.Length)];
            switch (width)
            {
                case 2: if (big) BinaryPrimitives.WriteInt16BigEndian(span, (short)v); else BinaryPrimitives.WriteInt16LittleEndian(span, (short)v); break;
                case 4: if (big) BinaryPrimitives.WriteInt32BigEndian(span, (int)v); else BinaryPrimitives.WriteInt32LittleEndian(span, (int)v); break;
                default: if (big) BinaryPrimitives.WriteInt64BigEndian(span, v); else BinaryPrimitives.WriteInt64LittleEndian(span, v); break;
            }
            what = $"int{width * 8} {v} at {at}";
        }
        return (gz ? Gzip(bytes) : bytes, what + (gz ? " (re-gzipped)" : ""));
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return output.ToArray();
    }
}
