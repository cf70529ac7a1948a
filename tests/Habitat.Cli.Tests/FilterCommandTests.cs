using Habitat.Cli;
using Habitat.Imaging.IO;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

public class FilterCommandTests
{
    [Fact]
    public void LogResponseMapMatchesTheIbsiReferenceAndKeepsGeometry()
    {
        using var dir = new TempDir();
        var input = ReferenceData.Path("ibsi2", "digital_phantoms", "impulse", "image.nii.gz");
        var output = Path.Combine(dir.Path, "log.nii.gz");
        var (code, _, err) = Run("filter", "--image", input, "--filter", "log", "--sigma", "3", "--boundary", "constant", "--out", output);
        Assert.True(code == 0, err);
        var response = ImageFile.Read(output);
        var reference = ImageFile.Read(ReferenceData.Path("ibsi2", "reference_response_maps", "2_a-ValidCRM.nii"));
        Assert.True(response.Grid.Matches(ImageFile.Read(input).Grid));
        var (min, max) = reference.Range();
        for (int n = 0; n < reference.Voxels.Length; n++)
            Assert.True(Math.Abs(response.Voxels[n] - reference.Voxels[n]) <= 0.01 * (max - min));
    }

    [Fact]
    public void BadFilterSettingsAreUsageErrors()
    {
        using var dir = new TempDir();
        var input = ReferenceData.Path("ibsi2", "digital_phantoms", "impulse", "image.nii.gz");
        var output = Path.Combine(dir.Path, "x.nii.gz");
        Assert.Equal(2, Run("filter", "--image", input, "--filter", "blur", "--out", output).Code);
        Assert.Equal(2, Run("filter", "--image", input, "--filter", "log", "--sigma", "-1", "--out", output).Code);
        var (code, _, err) = Run("filter", "--image", input, "--filter", "laws", "--kernel", "Q5L5S5", "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("Q5", err);
        Assert.False(File.Exists(output));
    }
}
