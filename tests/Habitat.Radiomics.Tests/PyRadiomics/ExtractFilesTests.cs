using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>Extraction from files (both read at once, the mask hashed while the image is read) equals extraction from
/// the volumes read one after the other, and reports the image's read error before the mask's.</summary>
public class ExtractFilesTests
{
    private static readonly string Image = ReferenceData.Path("pyradiomics", "brain1_image.nrrd");
    private static readonly string Mask = ReferenceData.Path("pyradiomics", "brain1_label.nrrd");

    private static PyRadiomicsParameters Parameters(bool diagnostics) => PyRadiomicsParameters.Parse(
        $"setting:\n  additionalInfo: {(diagnostics ? "true" : "false")}\nimageType:\n  Original: {{}}\nfeatureClass:\n  firstorder:\n  glcm:\n", "test");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void From_files_equals_from_volumes(bool diagnostics)
    {
        var fromFiles = PyRadiomicsExtractor.ExtractFiles(Image, Mask, Parameters(diagnostics));
        var fromVolumes = PyRadiomicsExtractor.Extract(ImageFile.Read(Image), ImageFile.Read(Mask), Parameters(diagnostics), null, Image, Mask);
        Assert.Equal(fromVolumes.Features, fromFiles.Features);
        Assert.Equal(fromVolumes.Diagnostics, fromFiles.Diagnostics);
        Assert.Equal(diagnostics, fromFiles.Diagnostics.Any(d => d.Key == "diagnostics_Mask-original_Hash"));
    }

    [Fact]
    public void Read_errors_name_the_file_image_first()
    {
        using var dir = new TempDir();
        string missing = Path.Combine(dir.Path, "missing.nrrd"), corrupt = Path.Combine(dir.Path, "corrupt.nrrd");
        File.WriteAllText(corrupt, "NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4\n\n");
        var imageError = Assert.ThrowsAny<Exception>(() => PyRadiomicsExtractor.ExtractFiles(missing, corrupt, Parameters(true)));
        Assert.Contains("missing.nrrd", imageError.Message);
        var maskError = Assert.Throws<ImageFormatException>(() => PyRadiomicsExtractor.ExtractFiles(Image, corrupt, Parameters(true)));
        Assert.Contains("corrupt.nrrd", maskError.Message);
    }
}
