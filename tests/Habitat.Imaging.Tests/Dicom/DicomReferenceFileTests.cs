using System.Globalization;
using Habitat.Imaging.IO.Dicom;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.Dicom;

/// <summary>The pydicom test files against what pydicom decodes (shared/reference/dicom/facts.csv).</summary>
public class DicomReferenceFileTests
{
    private static readonly Dictionary<string, Dictionary<string, string>> Facts = ReadFacts();

    private static Dictionary<string, Dictionary<string, string>> ReadFacts()
    {
        var lines = File.ReadAllLines(ReferenceData.Path("dicom", "facts.csv"));
        var header = lines[0].Split(',');
        var facts = new Dictionary<string, Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            facts[cells[0]] = header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        }
        return facts;
    }

    private static string PathOf(string file) => ReferenceData.Path("dicom", file);

    /// <summary>Min, max and sum of every stored sample of every frame (no rescale).</summary>
    private static (double Min, double Max, double Sum) StoredStatistics(DicomFile file)
    {
        var format = DicomPixelFormat.Of(file);
        var frame = new float[format.SamplesPerFrame];
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        for (int f = 0; f < format.Frames; f++)
        {
            DicomPixelData.DecodeFrame(file, format, f, frame);
            foreach (var v in frame) { min = Math.Min(min, v); max = Math.Max(max, v); sum += v; }
        }
        return (min, max, sum);
    }

    public static TheoryData<string> DecodableFiles => new()
    {
        "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm",
        "MR_small_padded.dcm", "image_dfl.dcm", "CT_small.dcm", "ExplVR_BigEnd.dcm",
    };

    [Theory]
    [MemberData(nameof(DecodableFiles))]
    public void StoredPixelsMatchPydicom(string name)
    {
        var facts = Facts[name];
        var file = DicomFile.Read(PathOf(name));
        Assert.Equal(facts["transfer_syntax"], file.TransferSyntax.Uid);
        var format = DicomPixelFormat.Of(file);
        Assert.Equal(int.Parse(facts["Rows"], CultureInfo.InvariantCulture), format.Rows);
        Assert.Equal(int.Parse(facts["Columns"], CultureInfo.InvariantCulture), format.Columns);
        Assert.Equal(int.Parse(facts["BitsAllocated"], CultureInfo.InvariantCulture), format.BitsAllocated);
        Assert.Equal(facts["PixelRepresentation"] == "1", format.Signed);
        Assert.Equal(facts["modality"], file.Dataset.GetString(DicomTags.Modality));
        var (min, max, sum) = StoredStatistics(file);
        Assert.Equal(double.Parse(facts["pixel_min"], CultureInfo.InvariantCulture), min);
        Assert.Equal(double.Parse(facts["pixel_max"], CultureInfo.InvariantCulture), max);
        Assert.Equal(double.Parse(facts["pixel_sum"], CultureInfo.InvariantCulture), sum);
        AssertNumbers(facts["ImagePositionPatient"], file.Dataset.GetNumbers(DicomTags.ImagePositionPatient));
        AssertNumbers(facts["PixelSpacing"], file.Dataset.GetNumbers(DicomTags.PixelSpacing));
        AssertNumbers(facts["RescaleIntercept"], file.Dataset.GetNumbers(DicomTags.RescaleIntercept));
        AssertNumbers(facts["RescaleSlope"], file.Dataset.GetNumbers(DicomTags.RescaleSlope));
        AssertNumbers(facts["NumberOfFrames"], file.Dataset.GetNumbers(DicomTags.NumberOfFrames));
    }

    private static void AssertNumbers(string expected, double[]? actual)
    {
        if (expected.Length == 0) { Assert.Null(actual); return; }
        var values = expected.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.NotNull(actual);
        Assert.Equal(values.Length, actual.Length);
        for (int n = 0; n < values.Length; n++) Assert.Equal(values[n], actual[n], 9);
    }

    [Fact]
    public void EveryUncompressedMrSmallVariantDecodesToTheSamePixels()
    {
        var reference = DicomSeriesReader.Read(PathOf("MR_small.dcm")).Volume;
        foreach (var name in new[] { "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm", "MR_small_padded.dcm" })
        {
            var volume = DicomSeriesReader.Read(PathOf(name)).Volume;
            Assert.Equal(reference.Voxels, volume.Voxels);
            Assert.True(reference.Grid.Matches(volume.Grid, 1e-9), name);
        }
        Assert.Equal(PixelType.Int16, reference.StoredType);
        Assert.Equal(new Vec3(-83.9063, -91.2, 6.6406), reference.Grid.Origin);
        Assert.Equal(0.3125, reference.Grid.Spacing.X, 12);
    }

    [Theory]
    [InlineData("MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80", "JPEG-LS")]
    [InlineData("MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90", "JPEG 2000")]
    public void JpegFamilyIsRefusedNamingTheSyntax(string name, string uid, string family)
    {
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(PathOf(name)));
        Assert.Contains(uid, e.Message);
        Assert.Contains(family, e.Message);
        Assert.Contains(name, e.FilePath);
    }

    [Fact]
    public void CtSmallIsRescaledToHounsfieldUnits()
    {
        var volume = DicomSeriesReader.Read(PathOf("CT_small.dcm")).Volume;
        var (min, max) = volume.Range();
        Assert.Equal(128 - 1024, min);
        Assert.Equal(2191 - 1024, max);
        Assert.Equal(PixelType.Int16, volume.StoredType);
    }

    [Fact]
    public void FileWithoutMetaAndAStrayByteIsRecoveredAsCtSmall()
    {
        // The README allows failing cleanly or recovering; this reader recovers, so it must recover exactly.
        var recovered = DicomFile.Read(PathOf("no_meta.dcm"));
        Assert.Contains(recovered.Warnings, w => w.Contains("1 stray byte"));
        Assert.Equal(StoredStatistics(DicomFile.Read(PathOf("CT_small.dcm"))), StoredStatistics(recovered));
    }

    [Fact]
    public void TruncatedPixelDataIsAClearError()
    {
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(PathOf("MR_truncated.dcm")));
        Assert.Contains("MR_truncated.dcm", e.FilePath);
        Assert.Contains("(7FE0,0010) Pixel Data", e.Problem);
    }

    [Fact]
    public void MalformedNumberOfFramesIsAClearError()
    {
        var e = Assert.Throws<ImageFormatException>(() => DicomSeriesReader.Read(PathOf("badVR.dcm")));
        Assert.Contains("badVR.dcm", e.FilePath);
        Assert.Contains("(0028,0008) Number of Frames", e.Problem);
        Assert.Contains("'1A'", e.Problem);
    }

    [Fact]
    public void UnknownVrSequenceOfUndefinedLengthIsReadAsImplicitLittleEndian()
    {
        // PS3.5 §6.2.2: (3006,0020) sent as UN with undefined length; its item is implicit VR LE with ROI Name "GTV ".
        byte[] dataset =
        [
            0x06, 0x30, 0x20, 0x00, (byte)'U', (byte)'N', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,
            0x06, 0x30, 0x26, 0x00, 4, 0, 0, 0, (byte)'G', (byte)'T', (byte)'V', (byte)' ',
            0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0,
            0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0,
        ];
        var file = DicomFile.Parse([.. new byte[128], .. "DICM"u8, .. Meta(DicomTestWriter.ExplicitVrLittleEndian), .. dataset], "un.dcm");
        var item = Assert.Single(file.Dataset.GetSequence(DicomTags.StructureSetRoiSequence));
        Assert.Equal("GTV", item.GetString(DicomTags.RoiName));
    }

    private static byte[] Meta(string syntax)
    {
        var uid = System.Text.Encoding.ASCII.GetBytes(syntax.Length % 2 == 0 ? syntax : syntax + "\0");
        return [0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', (byte)uid.Length, 0, .. uid];
    }

    [Fact]
    public void NonDicomBytesAreRefused()
    {
        var e = Assert.Throws<ImageFormatException>(() => DicomFile.Parse("this is plain text, not a DICOM dataset at all"u8.ToArray(), "notes.txt"));
        Assert.Equal("notes.txt", e.FilePath);
        Assert.Contains("not a DICOM file", e.Problem);
    }
}
