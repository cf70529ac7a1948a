using Habitat.Imaging.IO.Dicom;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Imaging.Tests.Dicom;

/// <summary>
/// Seeded random corruption of small valid DICOM files (byte flips, absurd lengths, truncation): every copy
/// either reads or fails with the library's typed exception — never IndexOutOfRange, NullReference, OOM.
/// </summary>
public class DicomMutationTests(ITestOutputHelper output)
{
    private const int CopiesPerFile = 260;

    private static IEnumerable<(string Name, byte[] Bytes)> Sources()
    {
        foreach (var name in new[] { "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
                                     "image_dfl.dcm", "CT_small.dcm", "liver_1frame.dcm", "rtstruct.dcm" })
            yield return (name, File.ReadAllBytes(ReferenceData.Path("dicom", name)));
    }

    [Fact]
    public void CorruptedCopiesReadOrFailWithATypedException()
    {
        var random = new Random(20261126);
        int copies = 0, read = 0, refused = 0;
        var failures = new List<string>();
        foreach (var (name, original) in Sources())
            for (int c = 0; c < CopiesPerFile; c++)
            {
                var bytes = Mutate(original, random, out var how);
                copies++;
                try
                {
                    ReadEverything(bytes, $"{name}#{c}");
                    read++;
                }
                catch (Exception e) when (e is ImageFormatException or GeometryMismatchException) { refused++; }
                catch (Exception e) { failures.Add($"{name} copy {c} ({how}): {e.GetType().Name}: {e.Message}"); }
            }
        output.WriteLine($"{copies} corrupted copies: {read} read, {refused} refused with a typed exception, {failures.Count} escaped");
        Assert.True(copies >= 2000);
        Assert.True(failures.Count == 0, $"{failures.Count} of {copies} copies escaped the typed exceptions:\n" + string.Join("\n", failures.Take(10)));
        Assert.True(read > 0 && refused > 0, $"read {read}, refused {refused}: the mutations should produce both outcomes");
    }

    /// <summary>The header-only path reads files from disk through a growing prefix; corrupt a few copies there too.</summary>
    [Fact]
    public void CorruptedCopiesOnDiskScanOrFailWithATypedException()
    {
        var random = new Random(7);
        using var temp = new TempDir();
        var failures = new List<string>();
        foreach (var (name, original) in Sources())
            for (int c = 0; c < 15; c++)
            {
                var path = temp.File($"{c}-{name}");
                File.WriteAllBytes(path, Mutate(original, random, out var how));
                try { DicomFile.ReadHeader(path); }
                catch (ImageFormatException) { }
                catch (Exception e) { failures.Add($"{name} copy {c} ({how}): {e.GetType().Name}: {e.Message}"); }
            }
        var folder = DicomSeriesReader.Scan(temp.Path);
        Assert.Empty(failures);
        Assert.True(folder.Skipped.Count + folder.OtherDicomFiles.Count + folder.Series.Sum(s => s.Files.Count) == 120);
    }

    /// <summary>Everything a user can ask of a file: its volume, its segmentation, its structure set.</summary>
    private static void ReadEverything(byte[] bytes, string name)
    {
        var file = DicomFile.Parse(bytes, name);
        var modality = file.Dataset.GetString(DicomTags.Modality);
        if (modality == "SEG") DicomSeg.From(file).ReadLabels();
        else if (modality == "RTSTRUCT")
        {
            var rt = RtStruct.From(file);
            foreach (var roi in rt.Rois) rt.Rasterise(roi.Name, Grid.Create(16, 16, 8, new Vec3(20, 20, 20), new Vec3(-160, -160, -80)));
        }
        else DicomSeriesReader.Assemble([file], DicomReadOptions.Default, []);
    }

    private static byte[] Mutate(byte[] original, Random random, out string how)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                int flips = random.Next(1, 9);
                for (int n = 0; n < flips; n++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                how = $"{flips} random bytes";
                break;
            case 1:
                int length = random.Next(bytes.Length);
                Array.Resize(ref bytes, length);
                how = $"truncated to {length} bytes";
                break;
            case 2:
                // An absurd length or count where a 16- or 32-bit field might be.
                int at = random.Next(bytes.Length - 4);
                uint value = random.Next(3) switch { 0 => 0xFFFF_FFFF, 1 => 0x7FFF_FFF0, _ => (uint)random.Next() };
                BitConverter.TryWriteBytes(bytes.AsSpan(at), value);
                how = $"0x{value:X8} written at {at}";
                break;
            default:
                int cut = random.Next(bytes.Length);
                Array.Resize(ref bytes, cut);
                for (int n = 0; n < 3 && cut > 0; n++) bytes[random.Next(cut)] ^= (byte)(1 << random.Next(8));
                how = $"truncated to {cut} bytes and bits flipped";
                break;
        }
        return bytes;
    }
}
