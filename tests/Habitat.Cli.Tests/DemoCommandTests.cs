using System.Text.RegularExpressions;
using Habitat.Cli;
using Habitat.Imaging.IO;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

/// <summary><c>habitat synth</c> and <c>habitat demo</c> end to end on small cohorts.</summary>
public class DemoCommandTests
{
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

        AssertReportRendersInABrowser(Path.Combine(dir.Path, "report.html"), Regex.Match(output, @"probability of recurrence (\d+) %").Groups[1].Value);
    }

    /// <summary>The report opened in headless chromium: its elements are in the rendered DOM, and the screenshot
    /// shows images (many distinct colours, including the habitat overlay's saturated ones), not a blank page.</summary>
    private static void AssertReportRendersInABrowser(string reportPath, string probabilityPercent)
    {
        var dom = HeadlessChromium.DumpDom(reportPath);
        Assert.Contains("id=\"probability\"", dom);
        Assert.Contains("id=\"contributions\"", dom);
        var shown = Regex.Match(dom, "class=\"probability-value\">([^<]*)<");
        Assert.True(shown.Success, "probability value missing from the rendered report");
        Assert.Equal(probabilityPercent + "%", shown.Groups[1].Value.Trim());
        Assert.Equal(5, Regex.Matches(dom, "<img[^>]+src=\"data:image/png").Count);

        var png = Path.ChangeExtension(reportPath, ".screenshot.png");
        HeadlessChromium.Screenshot(reportPath, png, 1280, 2400);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var colours = new HashSet<uint>();
        int saturated = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                int max = Math.Max(c.Red, Math.Max(c.Green, c.Blue)), min = Math.Min(c.Red, Math.Min(c.Green, c.Blue));
                if (max - min > 100) saturated++;
            }
        Assert.True(colours.Count > 200, $"screenshot looks blank: {colours.Count} distinct colours");
        Assert.True(saturated > 500, $"no coloured overlay visible in the screenshot ({saturated} saturated pixels)");
    }
}
