using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Settings;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests;

public class SettingsLoaderTests
{
    [Theory]
    [InlineData("digital_phantom")]
    [InlineData("config_A")]
    [InlineData("config_B")]
    [InlineData("config_C")]
    [InlineData("config_D")]
    [InlineData("config_E")]
    public void Shipped_ibsi_settings_load(string name)
    {
        var s = SettingsLoader.Load(Path.Combine(ReferenceData.RepoRoot, "settings", "ibsi", name + ".yaml"));
        Assert.Equal(name != "digital_phantom", s.RoundOnLoad);
        Assert.Equal(name is "config_C" or "config_D" or "config_E", s.Interpolation is { InPlaneOnly: false });
        Assert.NotEmpty(s.Texture.Aggregations);
    }

    [Fact]
    public void Config_E_reads_every_section()
    {
        var s = SettingsLoader.Load(Path.Combine(ReferenceData.RepoRoot, "settings", "ibsi", "config_E.yaml"));
        Assert.Equal(InterpolationMethod.CubicSpline, s.Interpolation!.ImageMethod);
        Assert.Equal(InterpolationMethod.Linear, s.Interpolation.MaskMethod);
        Assert.Equal([2.0, 2.0, 2.0], s.Interpolation.SpacingMm);
        Assert.Equal(new ResegmentationSettings(-1000, 400, 3), s.Resegmentation);
        Assert.Equal(new DiscretisationSettings(DiscretisationMethod.FixedBinNumber, null, 32), s.Discretisation);
        Assert.Equal(new IvhSettings(IvhMethod.FixedBinNumber, null, 1000), s.Ivh);
    }

    [Fact]
    public void Json_is_accepted()
    {
        var s = SettingsLoader.Parse("""{"resegmentation": {"range": [null, 400]}, "discretisation": {"method": "fixed_bin_size", "bin_width": 2.5}, "families": ["intensity_statistics"]}""", "s.json");
        Assert.Equal(new ResegmentationSettings(null, 400, null), s.Resegmentation);
        Assert.Equal(2.5, s.Discretisation.BinWidth);
        Assert.Equal(["intensity_statistics"], s.Families);
    }

    [Fact]
    public void Unknown_key_lists_the_valid_ones()
    {
        var e = Assert.Throws<ImageFormatException>(() => SettingsLoader.Parse("discretisation:\n  method: fixed_bin_number\n  bins: 32\n", "s.yaml"));
        Assert.Contains("s.yaml", e.Message);
        Assert.Contains("discretisation.bins", e.Message);
        Assert.Contains("bin_count", e.Message);
        var top = Assert.Throws<ImageFormatException>(() => SettingsLoader.Parse("interpolate: true\n", "s.yaml"));
        Assert.Contains("interpolation", top.Message);
    }

    [Theory]
    [InlineData("discretisation:\n  method: fixed_bin_number\n  bin_count: 0\n", "discretisation.bin_count")]
    [InlineData("discretisation:\n  method: fixed_bin_size\n", "discretisation.bin_width")]
    [InlineData("discretisation:\n  method: equal_probability\n", "equal_probability")]
    [InlineData("interpolation:\n  spacing_mm: [2, 2]\n", "interpolation.spacing_mm")]
    [InlineData("interpolation:\n  spacing_mm: [2, 2, 2]\n  image_method: sinc\n", "sinc")]
    [InlineData("resegmentation:\n  range: [400, -1000]\n", "resegmentation.range")]
    [InlineData("resegmentation:\n  outlier_sigma: abc\n", "resegmentation.outlier_sigma")]
    [InlineData("families: [glcm, shape]\n", "shape")]
    [InlineData("texture:\n  aggregations: [\"3D, mean\"]\n", "3D, mean")]
    [InlineData("round_on_load: maybe\n", "round_on_load")]
    [InlineData("texture:\n  distance: 17\n", "texture.distance")]
    [InlineData("- a list\n", "mapping")]
    [InlineData("a: [unclosed\n", "YAML")]
    public void Invalid_values_are_named(string text, string expected)
    {
        var e = Assert.Throws<ImageFormatException>(() => SettingsLoader.Parse(text, "bad.yaml"));
        Assert.Contains(expected, e.Message);
    }
}
