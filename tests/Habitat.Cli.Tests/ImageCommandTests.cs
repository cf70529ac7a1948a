using Habitat.Cli;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

public class ImageCommandTests
{
    [Fact]
    public void InfoDescribesTheCtPhantom()
    {
        var (code, output, err) = Run("info", ReferenceData.Path("ibsi1", "ct_phantom", "image.nii.gz"));
        Assert.True(code == 0, err);
        Assert.Contains("format:     NIfTI", output);
        Assert.Contains("size:       204 × 201 × 60 voxels", output);
        Assert.Contains("spacing:    0.977 × 0.977 × 3 mm", output);
        Assert.Contains("origin:     (-174.3945, -79.6255, -100.4) mm, LPS", output);
        Assert.Contains("data type:  Float32", output);
        Assert.Contains("min -1000, max 3065, mean -266.4704", output);
        Assert.DoesNotContain("labels:", output);
    }

    [Fact]
    public void InfoCountsVoxelsPerLabel()
    {
        var (code, output, _) = Run("info", ReferenceData.Path("ibsi1", "ct_phantom", "mask.nii.gz"));
        Assert.Equal(0, code);
        Assert.Contains("data type:  UInt8", output);
        Assert.Contains("labels:     2 distinct values", output);
        Assert.Matches(@"\n\s+1: 125256 voxels", output);
        Assert.Matches(@"\n\s+0: " + (204 * 201 * 60 - 125256) + " voxels", output);
    }

    [Fact]
    public void ConvertNrrdToNiftiAndMetaImageKeepsTheImage()
    {
        using var dir = new TempDir();
        var source = ReferenceData.Path("pyradiomics", "brain1_label.nrrd");
        var (code, output, err) = Run("convert", source, dir.File("label.nii.gz"));
        Assert.True(code == 0, err);
        Assert.Contains("NIfTI, 256 × 256 × 25, Int32", output);
        Assert.Equal(0, Run("convert", dir.File("label.nii.gz"), dir.File("label.mha")).Code);
        var original = ImageFile.Read(source);
        var converted = ImageFile.Read(dir.File("label.mha"));
        Assert.Equal(original.Voxels, converted.Voxels);
        Assert.Null(original.Grid.Describe(converted.Grid, 1e-5));
        var (_, info, _) = Run("info", dir.File("label.mha"));
        Assert.Contains("format:     MetaImage", info);
        Assert.Matches(@"\n\s+1: 4137 voxels", info);
    }

    [Fact]
    public void ErrorsGoToStderrWithoutStackTraceUnlessVerbose()
    {
        using var dir = new TempDir();
        var bad = dir.File("bad.nii");
        File.WriteAllBytes(bad, new byte[400]);
        var (code, output, err) = Run("info", bad);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("bad.nii", err);
        Assert.Contains("sizeof_hdr", err);
        Assert.DoesNotContain("   at ", err);
        var verbose = Run("info", bad, "--verbose");
        Assert.Equal(1, verbose.Code);
        Assert.Contains("   at ", verbose.Err);
    }

    [Fact]
    public void WrongUsageExitsWithTwo()
    {
        Assert.Equal(2, Run("info").Code);
        Assert.Equal(2, Run("convert", "only-one.nii").Code);
        Assert.Equal(2, Run("info", "x.nii", "--bogus", "1").Code);
        using var dir = new TempDir();
        ImageFile.Write(new Volume(Grid.Create(1, 1, 1, Vec3.One), [1], PixelType.UInt8), dir.File("a.nii"));
        var (code, _, err) = Run("convert", dir.File("a.nii"), dir.File("a.png"));
        Assert.Equal(1, code);
        Assert.Contains("unknown image format", err);
    }
}
