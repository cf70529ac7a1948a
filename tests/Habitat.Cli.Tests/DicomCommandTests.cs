using Habitat.Cli;
using Habitat.Imaging.IO;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

/// <summary><c>habitat info</c> and <c>habitat convert</c> on DICOM folders, SEG and RTSTRUCT files.</summary>
public class DicomCommandTests
{
    private static string CtFolder => ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "image");

    [Fact]
    public void InfoListsTheSeriesOfAFolderAndDescribesIt()
    {
        var (code, output, err) = Run("info", CtFolder);
        Assert.True(code == 0, err);
        Assert.Contains("DICOM folder: 1 image series", output);
        Assert.Matches(@"series [0-9.]+: CT '.*', 60 slices of 204 × 201", output);
        Assert.Contains("format:     DICOM", output);
        Assert.Contains("size:       204 × 201 × 60 voxels", output);
        Assert.Contains("min -1000, max 3065, mean -266.4704", output);
        Assert.Contains("data type:  Int16", output);
    }

    [Fact]
    public void InfoListsRoisAndSegments()
    {
        var (code, output, _) = Run("info", ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "mask", "DCM_RS_00060.dcm"));
        Assert.Equal(0, code);
        Assert.Matches(@"ROI \d+: 'GTV-1', 26 contour\(s\)", output);
        (code, output, _) = Run("info", ReferenceData.Path("dicom", "liver_1frame.dcm"));
        Assert.Equal(0, code);
        Assert.Contains("segment 1: 'Liver'", output);
        Assert.Matches(@"\n\s+1: 36233 voxels", output);
    }

    [Fact]
    public void ConvertRasterisesAnRtStructRoiOntoTheSeriesGrid()
    {
        using var temp = new TempDir();
        var output = temp.File("gtv.nii.gz");
        var (code, stdout, err) = Run("convert", CtFolder, output,
            "--rtstruct", ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "mask", "DCM_RS_00060.dcm"), "--roi", "GTV-1");
        Assert.True(code == 0, err);
        Assert.Contains("ROI 'GTV-1': 125256 voxels on 204 × 201 × 60", stdout);
        var mask = ImageFile.ReadLabels(output);
        var reference = ImageFile.ReadLabels(ReferenceData.Path("ibsi1", "ct_phantom", "mask.nii.gz"));
        Assert.True(reference.Grid.Matches(mask.Grid, 1e-3));
        Assert.Equal(reference.CountByLabel(), mask.CountByLabel());
    }

    [Fact]
    public void ConvertWritesTheSeriesAndReportsAnUnknownRoi()
    {
        using var temp = new TempDir();
        var (code, _, err) = Run("convert", CtFolder, temp.File("ct.nrrd"));
        Assert.True(code == 0, err);
        Assert.Equal(ImageFile.Read(CtFolder).Voxels, ImageFile.Read(temp.File("ct.nrrd")).Voxels);
        (code, _, err) = Run("convert", CtFolder, temp.File("x.nii.gz"),
            "--rtstruct", ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "mask", "DCM_RS_00060.dcm"), "--roi", "brain");
        Assert.Equal(1, code);
        Assert.Contains("no ROI named 'brain'", err);
        Assert.Contains("GTV-1", err);
        Assert.DoesNotContain("   at ", err);
        (code, _, err) = Run("convert", ReferenceData.Path("dicom", "MR_small_jp2klossless.dcm"), temp.File("mr.nii.gz"));
        Assert.Equal(1, code);
        Assert.Contains("1.2.840.10008.1.2.4.90", err);
    }
}
