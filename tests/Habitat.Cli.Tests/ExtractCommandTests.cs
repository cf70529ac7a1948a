using System.Globalization;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

public class ExtractCommandTests
{
    private static string Phantom(string file) => ReferenceData.Path("ibsi1", "digital_phantom", file);
    private static string Settings(string name) => Path.Combine(ReferenceData.RepoRoot, "settings", "ibsi", name);

    [Fact]
    public void Writes_the_long_ibsi_table()
    {
        using var dir = new TempDir();
        var output = dir.File("features.csv");
        var (code, _, err) = Run("extract", "--image", Phantom("image.nii.gz"), "--mask", Phantom("mask.nii.gz"),
            "--settings", Settings("digital_phantom.yaml"), "--names", "ibsi", "--out", output);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(output);
        Assert.Equal("ibsi_tag,ibsi_code,aggregation,value", lines[0]);
        var mean = lines.Single(l => l.StartsWith("stat.mean,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["stat.mean", "Q4LE", "\"\""], mean[..3]);
        Assert.Equal(159.0 / 74, double.Parse(mean[3], CultureInfo.InvariantCulture), 12);
        Assert.Contains(lines, l => l.StartsWith("ivh.V10,BC2M,", StringComparison.Ordinal));
        Assert.Equal(lines.Length - 1, lines.Skip(1).Select(l => l[..l.LastIndexOf(',')]).Distinct().Count());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Label_absent_from_the_mask_is_a_clear_error()
    {
        using var dir = new TempDir();
        var (code, _, err) = Run("extract", "--image", Phantom("image.nii.gz"), "--mask", Phantom("mask.nii.gz"),
            "--settings", Settings("digital_phantom.yaml"), "--label", "7", "--names", "ibsi", "--out", dir.File("f.csv"));
        Assert.Equal(1, code);
        Assert.Contains("label 7", err);
        Assert.False(File.Exists(dir.File("f.csv")));
    }

    [Fact]
    public void Mask_on_another_grid_is_a_geometry_error()
    {
        using var dir = new TempDir();
        var (code, _, err) = Run("extract", "--image", Phantom("image.nii.gz"), "--mask", ReferenceData.Path("ibsi1", "ct_phantom", "mask.nii.gz"),
            "--settings", Settings("digital_phantom.yaml"), "--names", "ibsi", "--out", dir.File("f.csv"));
        Assert.Equal(1, code);
        Assert.Contains("geometry", err);
    }

    [Fact]
    public void Bad_settings_and_names_are_reported()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("s.yaml"), "discretisation:\n  method: fixed_bin_number\n  bins: 8\n");
        var (code, _, err) = Run("extract", "--image", Phantom("image.nii.gz"), "--mask", Phantom("mask.nii.gz"),
            "--settings", dir.File("s.yaml"), "--names", "ibsi", "--out", dir.File("f.csv"));
        Assert.Equal(1, code);
        Assert.Contains("bin_count", err);
        var names = Run("extract", "--image", Phantom("image.nii.gz"), "--mask", Phantom("mask.nii.gz"),
            "--settings", Settings("digital_phantom.yaml"), "--names", "pyradiomics", "--out", dir.File("f.csv"));
        Assert.Equal(2, names.Code);
    }

    [Fact]
    public void Ibsi_report_counts_matches()
    {
        using var dir = new TempDir();
        var report = dir.File("ibsi.md");
        // The digital phantom only: the conformance tests cover every data set; this checks the command and its table.
        var (code, stdout, err) = Run("ibsi-report", "--reference", ReferenceData.Path("ibsi1"), "--settings",
            Path.Combine(ReferenceData.RepoRoot, "settings", "ibsi"), "--data-set", "digital_phantom", "--out", report);
        Assert.True(code == 0, err);
        Assert.Contains("482 of 482 reference rows matched", stdout);
        var text = File.ReadAllText(report);
        Assert.Contains("| family | digital_phantom | all |", text);
        Assert.Contains("| intensity_statistics | 18/18 | 18/18 |", text);
        Assert.Contains("| stat.mean | Q4LE |  | 2.14865 / 2.15 ± 0 ✓ |", text);
        Assert.Equal(2, Run("ibsi-report", "--reference", ReferenceData.Path("ibsi1"), "--data-set", "config_F", "--out", report).Code);
    }
}
