using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Habitat.Imaging;
using Habitat.Reports;
using Habitat.Synthesis;

namespace Habitat.Server.Tests.Pages;

/// <summary>The study report's HTML and PDF carry what the tumour board needs: probability, class, slices, intended use.</summary>
public sealed class StudyReportTests
{
    private static StudyReportData Data()
    {
        var settings = new SynthesisSettings(1, 1, 3, new Vec3(2, 2, 2), new Vec3(96, 96, 96));
        var plan = CohortPlan.Create(settings);
        var study = StudyGenerator.Generate(settings, plan.Sites[0], plan.Cases[0]);
        int k = SliceRenderer.SliceWithMost(study.Habitat, [1, 3]);
        return new StudyReportData("P-0042", "2026-11-20", "a1", [new("T1c", "t1c.nii.gz"), new("FLAIR", "flair.nii.gz")],
            [new("T1c with habitat labels", SliceRenderer.AxialPng(study.Images["T1c"], k, study.Habitat))],
            0.734, 0.5, "recurrence", "recurrence",
            [new("T1c.enhancing.cm_joint_entr.3D_avg", 4.2, 0.61), new("FLAIR.oedema.stat_mean", -0.3, -0.2)], "log-odds",
            [new("enhancing", "3.10 mL")], [new("cross-validated AUC", "0.810 (95% CI 0.700–0.900)")], [new("settingsHash", "abc")], "1.0.0",
            "research and decision support; not a diagnosis", SyntheticModel: true);
    }

    [Fact]
    public void PdfHasTheProbabilityClassImageAndIntendedUse()
    {
        var pdf = PdfReport.ToPdf(Data());
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        var raw = Encoding.Latin1.GetString(pdf);
        Assert.Matches(@"/Subtype\s*/Image", raw);
        var text = ContentText(pdf);
        Assert.Contains("73.4%", text);
        Assert.Contains("Class: recurrence", text);
        Assert.Contains("not a diagnosis", text);
        Assert.Contains("SYNTHETIC DEMONSTRATION MODEL", text);
        Assert.Contains("co-occurrence texture joint entr", text);
    }

    [Fact]
    public void HtmlHasTheProbabilityContributionsInWordsAndIntendedUse()
    {
        var html = StudyReport.ToHtml(Data());
        Assert.Contains("<div class=\"probability-value\">73%</div>", html);
        Assert.Contains("T1c, enhancing rim: co-occurrence texture joint entr (3D avg)", html);
        Assert.Contains("not a diagnosis", html);
        Assert.Contains("data:image/png;base64,", html);
    }

    [Theory]
    [InlineData("shape.necrotic_core.morph_volume", "shape of the necrotic core: volume")]
    [InlineData("FLAIR.oedema.stat_mean", "FLAIR, oedema: intensity mean")]
    [InlineData("habitat.oedema_to_lesion", "habitat volumes: oedema to lesion")]
    [InlineData("T1c.enhancing.stat.P90", "T1c, enhancing rim: intensity (P90)")]
    [InlineData("FLAIR.oedema.cm.joint_entr.3D_averaged", "FLAIR, oedema: co-occurrence texture (joint entr 3D averaged)")]
    public void FeatureNamesInPlainWords(string feature, string words) => Assert.Equal(words, FeatureWording.Describe(feature));

    /// <summary>Literal strings of the PDF's content streams (inflated when compressed).</summary>
    private static string ContentText(byte[] pdf)
    {
        var raw = Encoding.Latin1.GetString(pdf);
        var text = new StringBuilder();
        foreach (Match m in Regex.Matches(raw, @"(?<!end)stream\r?\n"))
        {
            int start = m.Index + m.Length, end = raw.IndexOf("endstream", start, StringComparison.Ordinal);
            if (end < 0) break;
            var body = pdf.AsSpan(start, end - start).ToArray();
            string s;
            try
            {
                using var z = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
                using var o = new MemoryStream();
                z.CopyTo(o);
                s = Encoding.Latin1.GetString(o.ToArray());
            }
            catch (InvalidDataException) { s = Encoding.Latin1.GetString(body); }
            foreach (Match literal in Regex.Matches(s, @"\((?:\\.|[^\\)])*\)"))
                text.Append(Regex.Replace(literal.Value[1..^1], @"\\(.)", "$1")).Append(' ');
            text.Append('\n');
        }
        return text.ToString();
    }
}
