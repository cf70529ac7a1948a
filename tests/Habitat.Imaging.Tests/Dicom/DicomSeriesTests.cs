using Habitat.Imaging.IO.Dicom;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.Dicom;

/// <summary>Series assembly on synthetic series written by <see cref="DicomTestWriter"/>.</summary>
public class DicomSeriesTests
{
    private const int Rows = 6, Columns = 5;

    /// <summary>Pixel value encoding the slice's position along z and the pixel, so order errors show.</summary>
    private static short[] Pixels(double z) => Enumerable.Range(0, Rows * Columns).Select(n => (short)(z * 10 + n)).ToArray();

    /// <summary>Writes one slice per z; file names and instance numbers run against the spatial order.</summary>
    private static void WriteSeries(string folder, string uid, double[] zs, double[]? orientation = null, Func<double, double[]>? position = null, string description = "test series")
    {
        for (int s = 0; s < zs.Length; s++)
        {
            var file = DicomTestWriter.Int16Slice(uid, zs.Length - s, position?.Invoke(zs[s]) ?? [-10, 20, zs[s]], Pixels(zs[s]), Rows, Columns,
                orientation, description: description);
            File.WriteAllBytes(Path.Combine(folder, $"{uid}-{(s * 7919) % 1000:000}.dcm"), file.ToPart10(s % 2 == 0 ? DicomTestWriter.ImplicitVrLittleEndian : DicomTestWriter.ExplicitVrLittleEndian));
        }
    }

    [Fact]
    public void SlicesAreOrderedByPositionAlongTheNormal()
    {
        using var temp = new TempDir();
        WriteSeries(temp.Path, "1.2.3.1", [4, -2, 1, 7, -5]);
        var result = DicomSeriesReader.Read(temp.Path);
        var grid = result.Volume.Grid;
        Assert.Empty(result.Warnings);
        Assert.Equal((Columns, Rows, 5), (grid.Nx, grid.Ny, grid.Nz));
        Assert.Equal(new Vec3(-10, 20, -5), grid.Origin);
        Assert.Equal(new Vec3(0.5, 0.5, 3), grid.Spacing);
        Assert.Equal(Matrix3.Identity, grid.Direction);
        double[] expected = [-5, -2, 1, 4, 7];
        for (int k = 0; k < 5; k++)
            Assert.Equal(Pixels(expected[k]).Select(v => (float)v), result.Volume.Voxels.Skip(k * Rows * Columns).Take(Rows * Columns));
    }

    [Fact]
    public void ObliqueSagittalSeriesGetsRowColumnNormalDirections()
    {
        using var temp = new TempDir();
        // Rows run anterior→posterior (+y), columns head→foot (−z); the normal row × column is −x.
        double[] orientation = [0, 1, 0, 0, 0, -1];
        WriteSeries(temp.Path, "1.2.3.2", [0, 2, 4], orientation, x => [x, 0, 0]);
        var grid = DicomSeriesReader.Read(temp.Path).Volume.Grid;
        Assert.Equal(Matrix3.FromColumns(new Vec3(0, 1, 0), new Vec3(0, 0, -1), new Vec3(-1, 0, 0)), grid.Direction);
        Assert.Equal(new Vec3(4, 0, 0), grid.Origin); // the slice lowest along −x
        Assert.Equal(2, grid.Spacing.Z, 12);
        Assert.True(grid.IndexToPhysical(0, 0, 2).ApproximatelyEquals(new Vec3(0, 0, 0), 1e-12));
    }

    [Fact]
    public void MissingSliceIsReportedAndOnlyReadWhenAllowed()
    {
        using var temp = new TempDir();
        WriteSeries(temp.Path, "1.2.3.3", [0, 3, 6, 12, 15]);
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(temp.Path));
        Assert.Contains("missing slice", e.Problem);
        Assert.Contains("gap of 6 mm", e.Problem);
        var lenient = DicomSeriesReader.Read(temp.Path, new DicomReadOptions(AllowIrregularSlices: true));
        Assert.Equal(3.75, lenient.Volume.Grid.Spacing.Z, 12);
        Assert.Contains(lenient.Warnings, w => w.Contains("gap of 6 mm"));
    }

    [Fact]
    public void DuplicatePositionsAreRefused()
    {
        using var temp = new TempDir();
        WriteSeries(temp.Path, "1.2.3.4", [0, 3, 3, 6]);
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(temp.Path));
        Assert.Contains("same position", e.Problem);
    }

    [Fact]
    public void MultiEchoSeriesIsRefusedNamingTheEchoes()
    {
        using var temp = new TempDir();
        for (int s = 0; s < 4; s++)
            File.WriteAllBytes(temp.File($"e{s}.dcm"), DicomTestWriter.Int16Slice("1.2.3.6", s, [0, 0, 3.0 * (s / 2)], Pixels(s), Rows, Columns,
                echoTime: s % 2 == 0 ? 10 : 80).ToPart10());
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(temp.Path));
        Assert.Contains("2 different Echo Times", e.Problem);
    }

    [Fact]
    public void InPlaneShiftedSlicesAreIrregular()
    {
        using var temp = new TempDir();
        WriteSeries(temp.Path, "1.2.3.5", [0, 3, 6], position: z => [-10, 20 + z * 0.2, z]);
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(temp.Path));
        Assert.Contains("gantry tilt", e.Problem);
    }

    [Fact]
    public void FolderWithSeveralSeriesIsListedAndSplitBySeriesUid()
    {
        using var temp = new TempDir();
        WriteSeries(temp.Path, "1.2.3.10", [0, 3, 6, 9], description: "T1 post-contrast");
        WriteSeries(temp.Path, "1.2.3.11", [0, 5], description: "FLAIR");
        File.WriteAllText(Path.Combine(temp.Path, "notes.txt"), "not DICOM");
        var folder = DicomSeriesReader.Scan(temp.Path);
        Assert.Equal(2, folder.Series.Count);
        var t1 = folder.Series.Single(s => s.SeriesInstanceUid == "1.2.3.10");
        Assert.Equal(("MR", "T1 post-contrast", 4, Rows, Columns), (t1.Modality, t1.Description, t1.SliceCount, t1.Rows, t1.Columns));
        Assert.Equal((12.5, 500.0), (t1.EchoTime, t1.RepetitionTime));
        Assert.Single(folder.Skipped, s => s.Contains("notes.txt"));

        var largest = DicomSeriesReader.Read(temp.Path);
        Assert.Equal("1.2.3.10", largest.Series.SeriesInstanceUid);
        Assert.Contains(largest.Warnings, w => w.Contains("2 series") && w.Contains("1.2.3.11"));
        var chosen = DicomSeriesReader.Read(temp.Path, new DicomReadOptions("1.2.3.11"));
        Assert.Equal(2, chosen.Volume.Grid.Nz);
        Assert.Equal(5, chosen.Volume.Grid.Spacing.Z, 12);
        var missing = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(temp.Path, new DicomReadOptions("9.9")));
        Assert.Contains("1.2.3.10", missing.Problem);
    }

    [Fact]
    public void SeriesOfEqualSizeAreAmbiguous()
    {
        using var temp = new TempDir();
        WriteSeries(temp.Path, "1.2.3.20", [0, 3]);
        WriteSeries(temp.Path, "1.2.3.21", [0, 3]);
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(temp.Path));
        Assert.Contains("choose one by Series Instance UID", e.Problem);
        Assert.Contains("1.2.3.20", e.Problem);
        Assert.Contains("1.2.3.21", e.Problem);
    }

    [Fact]
    public void RescaleIsAppliedPerSliceAndTheStoredTypeWidensWhenNeeded()
    {
        using var temp = new TempDir();
        for (int s = 0; s < 2; s++)
            File.WriteAllBytes(temp.File($"s{s}.dcm"), DicomTestWriter.Int16Slice("1.2.3.30", s, [0, 0, 3.0 * s], Pixels(s), Rows, Columns,
                slope: 2, intercept: s == 0 ? -1000 : 40000).ToPart10());
        var volume = DicomSeriesReader.Read(temp.Path).Volume;
        Assert.Equal(2 * Pixels(0)[4] - 1000, volume[4, 0, 0]);
        Assert.Equal(2 * Pixels(1)[7] + 40000, volume[2, 1, 1]);
        Assert.Equal(PixelType.Int32, volume.StoredType);
    }

    [Fact]
    public void EnhancedMultiFrameFileIsPlacedByItsFunctionalGroups()
    {
        double[] zs = [6, 0, 3];
        var pixels = zs.SelectMany(Pixels).SelectMany(v => BitConverter.GetBytes(v)).ToArray();
        var frames = zs.Select(z => new DicomTestWriter()
            .Sequence(0x0020_9113, new DicomTestWriter().Decimals(0x0020_0032, 1, 2, z))).ToArray();
        var shared = new DicomTestWriter()
            .Sequence(0x0020_9116, new DicomTestWriter().Decimals(0x0020_0037, 1, 0, 0, 0, 1, 0))
            .Sequence(0x0028_9110, new DicomTestWriter().Decimals(0x0028_0030, 0.8, 0.7).Decimals(0x0018_0050, 3))
            .Sequence(0x0028_9145, new DicomTestWriter().Decimals(0x0028_1052, 5).Decimals(0x0028_1053, 1));
        var file = DicomTestWriter.Int16Slice("1.2.3.40", 1, [0, 0, 0], [], Rows, Columns)
            .Text(0x0028_0008, "IS", "3")
            .Bytes(0x7FE0_0010, "OW", pixels)
            .Sequence(0x5200_9229, shared)
            .Sequence(0x5200_9230, frames);
        foreach (var syntax in new[] { DicomTestWriter.ImplicitVrLittleEndian, DicomTestWriter.ExplicitVrLittleEndian })
        {
            using var temp = new TempDir();
            File.WriteAllBytes(temp.File("enhanced.dcm"), file.ToPart10(syntax));
            var volume = DicomSeriesReader.Read(temp.File("enhanced.dcm")).Volume;
            Assert.Equal(new Vec3(1, 2, 0), volume.Grid.Origin);
            Assert.Equal(new Vec3(0.7, 0.8, 3), volume.Grid.Spacing);
            Assert.Equal(Pixels(0)[0] + 5, volume[0, 0, 0]);
            Assert.Equal(Pixels(3)[9] + 5, volume[4, 1, 1]);
            Assert.Equal(Pixels(6)[29] + 5, volume[4, 5, 2]);
        }
    }
}

/// <summary>RLE Lossless multi-frame pixel data split into fragments, located through the basic offset table.</summary>
public class DicomRleFragmentTests
{
    /// <summary>One 2×2 frame of 16-bit values as RLE: header, then the high-byte and low-byte planes as PackBits literals.</summary>
    private static byte[] RleFrame(short[] values)
    {
        byte[] high = values.Select(v => (byte)((ushort)v >> 8)).ToArray(), low = values.Select(v => (byte)v).ToArray();
        var frame = new byte[64 + 10];
        BitConverter.TryWriteBytes(frame.AsSpan(0), 2u);
        BitConverter.TryWriteBytes(frame.AsSpan(4), 64u);
        BitConverter.TryWriteBytes(frame.AsSpan(8), 69u);
        frame[64] = 3; high.CopyTo(frame, 65);
        frame[69] = 3; low.CopyTo(frame, 70);
        return frame;
    }

    private static DicomTestWriter Image(Func<DicomTestWriter, DicomTestWriter> pixels) =>
        pixels(DicomTestWriter.Int16Slice("1.2.3.50", 1, [0, 0, 0], [], 2, 2).Text(0x0028_0008, "IS", "2").Decimals(0x0018_0088, 2.5));

    private static readonly short[] First = [-300, 7, 1000, -1], Second = [32767, -32768, 0, 258];

    [Fact]
    public void OneFragmentPerFrameAndFramesSplitAcrossFragmentsDecodeAlike()
    {
        byte[] a = RleFrame(First), b = RleFrame(Second);
        var oneEach = Image(w => w.Encapsulated([], a, b));
        // Frame 1 in two fragments; the offset table says frame 2 starts after both items (8-byte headers).
        var offsets = new byte[8];
        BitConverter.TryWriteBytes(offsets.AsSpan(4), (uint)(8 + 40 + 8 + (a.Length - 40)));
        var split = Image(w => w.Encapsulated(offsets, a[..40], a[40..], b));
        foreach (var file in new[] { oneEach, split })
        {
            var volume = DicomSeriesReader.Assemble([DicomFile.Parse(file.ToPart10(DicomTestWriter.RleLossless), "rle.dcm")], DicomReadOptions.Default, []).Volume;
            Assert.Equal(First.Concat(Second).Select(v => (float)v), volume.Voxels);
            Assert.Equal(2.5, volume.Grid.Spacing.Z, 12);
        }
    }
}
