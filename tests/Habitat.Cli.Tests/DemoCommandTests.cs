using System.Text.RegularExpressions;
using Habitat.Cli;
using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Cli.Tests;

/// <summary><c>habitat synth</c> and <c>habitat demo</c> end to end on small cohorts.</summary>
public class DemoCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Synth_writes_images_labels_cohort_and_truth()
    {
        using var dir = new TempDir();
        var (code, output, err) = Run("synth", "--cases", "2", "--sites", "2", "--seed", "3", "--sequences", "T1c,FLAIR,T2", "--out", dir.Path);
        Assert.True(code == 0, err);
        Assert.Contains("2 synthetic studies", output);
        foreach (var file in new[] { "T1c.nii.gz", "FLAIR.nii.gz", "T2.nii.gz", "habitat.nii.gz", "brain_mask.nii.gz" })
            Assert.True(File.Exists(Path.Combine(dir.Path, "case-0002", file)), file);
        var habitat = ImageFile.ReadLabels(Path.Combine(dir.Path, "case-0002", "habitat.nii.gz"));
        Assert.Equal([0, 1, 2, 3], habitat.CountByLabel().Keys);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir.Path, "cohort.csv")).Length);
        Assert.StartsWith("case_id,patient_id,site,label,lesion.", File.ReadLines(Path.Combine(dir.Path, "truth.csv")).First());
    }

    [Fact]
    public void Synth_rejects_bad_options_with_usage()
    {
        using var dir = new TempDir();
        Assert.Equal(2, Run("synth", "--cases", "0", "--out", dir.Path).Code);
        Assert.Equal(2, Run("synth", "--spacing", "1,1", "--out", dir.Path).Code);
        Assert.Equal(2, Run("synth", "--profile", "fancy", "--out", dir.Path).Code);
        var (code, _, err) = Run("synth", "--sequences", "T1c,DWI", "--out", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("unknown sequence 'DWI'", err);
    }

    [Fact]
    public void Demo_runs_the_whole_pipeline_and_writes_a_self_contained_report()
    {
        using var dir = new TempDir();
        var (code, output, err) = Run("demo", "--out", dir.Path, "--cases", "24", "--seed", "11");
        Assert.True(code == 0, err + output);
        for (int stage = 1; stage <= 6; stage++) Assert.Contains($"[{stage}/6]", output);
        var auc = Regex.Match(output, @"cross-validated AUC (\d\.\d+) \(95% CI (\d\.\d+)–(\d\.\d+)");
        Assert.True(auc.Success, output);
        double mean = double.Parse(auc.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double lower = double.Parse(auc.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(mean, 0, 1);
        Assert.True(lower <= mean);
        Assert.Matches(@"probability of recurrence \d+ %", output);

        var html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        Assert.Contains("SYNTHETIC DATA", html);
        Assert.Contains("research software", html);
        Assert.Contains("id=\"probability\"", html);
        Assert.Contains("id=\"contributions\"", html);
        // Slices (4) and ROC embedded as PNG data URIs; nothing fetched from outside.
        var images = Regex.Matches(html, "src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
        Assert.Equal(5, images.Count);
        foreach (Match m in images)
        {
            var png = Convert.FromBase64String(m.Groups[1].Value);
            Assert.True(png.Length > 1000);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        }
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.True(File.Exists(Path.Combine(dir.Path, "model", "model.json")));
        Assert.Equal(24 + 2, File.ReadAllLines(Path.Combine(dir.Path, "features.csv")).Length);
    }
}
