using System.Globalization;
using Habitat.Cli.Batch;
using Habitat.Learning.Data;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;
using static Habitat.Cli.Tests.StudyExtractCommandTests;

namespace Habitat.Cli.Tests;

/// <summary>The habitat form of <c>habitat extract --manifest</c> on the batch engine: failures recorded, cancel and
/// resume, <c>--jobs</c>, Parquet, and refusing to resume an output made with other settings.</summary>
public class StudyBatchTests
{
    /// <summary>Three studies (s1, s2, s3: different random intensities) with a missing and a corrupt one between them.</summary>
    private static string WriteManifest(TempDir dir)
    {
        for (int n = 1; n <= 3; n++) WriteStudy(dir.File($"s{n}"), seed: n);
        File.WriteAllText(dir.File("settings.yaml"), Settings);
        var gz = File.ReadAllBytes(dir.File("s1/T1c.nii.gz"));
        Directory.CreateDirectory(dir.File("corrupt"));
        File.WriteAllBytes(dir.File("corrupt/T1c.nii.gz"), gz[..(gz.Length / 2)]);
        var path = dir.File("studies.csv");
        File.WriteAllText(path, """
            id,T1c,FLAIR,habitat
            s1,s1/T1c.nii.gz,s1/FLAIR.nii.gz,s1/habitat.nii.gz
            missing,nowhere/T1c.nii.gz,s1/FLAIR.nii.gz,s1/habitat.nii.gz
            s2,s2/T1c.nii.gz,s2/FLAIR.nii.gz,s2/habitat.nii.gz
            corrupt,corrupt/T1c.nii.gz,s1/FLAIR.nii.gz,s1/habitat.nii.gz
            s3,s3/T1c.nii.gz,s3/FLAIR.nii.gz,s3/habitat.nii.gz

            """);
        return path;
    }

    private static BatchPlan Plan(TempDir dir, string manifest, string outPath, BatchFormat format)
    {
        var extractor = new StudyExtractor(SettingsLoader.Parse(Settings, "settings.yaml"));
        return StudyBatch.Plan(StudyBatch.ReadManifest(manifest, extractor.Habitat), extractor, Settings, outPath, format);
    }

    [Fact]
    public void A_batch_records_the_corrupt_and_missing_studies_and_goes_on()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        var outPath = dir.File("features.csv");
        var (code, stdout, err) = Run("extract", "--manifest", manifest, "--settings", dir.File("settings.yaml"), "--out", outPath, "--jobs", "2");
        Assert.Equal(1, code);
        Assert.Contains("3 studies extracted, 2 failed of 5", stdout);
        Assert.Contains("[2/5] missing: FAILED", err);
        Assert.Contains("[4/5] corrupt: FAILED", err);

        var lines = File.ReadAllLines(outPath);
        var header = lines[0].Split(',');
        Assert.Equal(["id", "settings_hash"], header[..2]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["s1", "s2", "s3"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(SettingsHash.Of(Settings), r[1]));
        Assert.NotEqual(rows[0][2..], rows[1][2..]); // the studies differ, so do their rows

        // Each row equals a direct extraction of its study; each missing value's reason is in the errors file.
        var extractor = new StudyExtractor(SettingsLoader.Parse(Settings, "settings.yaml"));
        var errors = File.ReadAllLines(dir.File("features.errors.csv"));
        Assert.Equal("id,feature,error", errors[0]);
        for (int s = 0; s < 3; s++)
        {
            var direct = extractor.Extract(StudyFiles.FromFolder(dir.File($"s{s + 1}"), extractor.Habitat).Load(extractor.Habitat));
            Assert.Equal(direct.Items.Select(i => i.Name), header[2..]);
            Assert.Equal(direct.Items.Select(i => i.Missing is null ? i.Value.ToString("R", CultureInfo.InvariantCulture) : ""), rows[s][2..]);
            var gaps = direct.Items.Where(i => i.Missing is not null).Select(i => CsvText.Line([$"s{s + 1}", i.Name, i.Missing!])).ToArray();
            Assert.NotEmpty(gaps); // no ventricle label: the lesion–ventricle distance is missing
            Assert.Equal(gaps, errors.Where(e => e.StartsWith($"s{s + 1},", StringComparison.Ordinal)));
        }
        var failures = errors.Skip(1).Where(e => CsvText.Split(e)[1].Length == 0).ToArray();
        Assert.Equal(2, failures.Length);
        Assert.StartsWith("missing,,", failures[0]);
        Assert.Contains("nowhere", failures[0]);
        Assert.StartsWith("corrupt,,", failures[1]);
        Assert.Contains("corrupt", failures[1][8..]);
        // Manifest order: s1's lines, then the missing study, s2, the corrupt one, s3.
        Assert.Equal(["s1", "missing", "s2", "corrupt", "s3"], errors.Skip(1).Select(e => e.Split(',')[0]).Distinct());
    }

    [Theory]
    [InlineData(BatchFormat.Csv)]
    [InlineData(BatchFormat.Parquet)]
    public void A_cancelled_run_resumed_gives_the_uninterrupted_output(BatchFormat format)
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        string extension = format == BatchFormat.Csv ? "csv" : "parquet";
        var whole = Plan(dir, manifest, dir.File("whole." + extension), format);
        var summary = new BatchExtraction(1, TextWriter.Null, false).Run(whole);
        Assert.Equal((5, 3, 2, false), (summary.Total, summary.Succeeded, summary.Failed, summary.Cancelled));

        // Cancelled once three studies are reported (s1, missing, s2; the corrupt one shares their window of two).
        var resumed = Plan(dir, manifest, dir.File("resumed." + extension), format);
        using var cancel = new CancellationTokenSource();
        var first = new BatchExtraction(1, new CancelOnWrite(cancel, 3), false).Run(resumed, cancel.Token);
        Assert.True(first.Cancelled);
        Assert.Equal((2, 2), (first.Succeeded, first.Failed));
        Assert.False(File.Exists(resumed.OutPath) && format == BatchFormat.Parquet); // Parquet only once the run completes
        var second = new BatchExtraction(1, TextWriter.Null, false).Run(resumed);
        Assert.Equal((2, 1, 2, false), (second.Skipped, second.Succeeded, second.Failed, second.Cancelled));

        Assert.Equal(File.ReadAllBytes(whole.Journal), File.ReadAllBytes(resumed.Journal));
        Assert.Equal(File.ReadAllBytes(whole.ErrorsPath), File.ReadAllBytes(resumed.ErrorsPath));
        if (format == BatchFormat.Parquet)
        {
            Assert.Equal(File.ReadAllBytes(whole.OutPath), File.ReadAllBytes(resumed.OutPath));
            var table = FeatureTable.Read(resumed.OutPath, "id", ["habitat.lesion_ventricle_distance_mm"]);
            Assert.Equal(["s1", "s2", "s3"], table.CaseIds);
            Assert.Equal(SettingsHash.Of(Settings), table.SettingsHash);
            var csv = File.ReadAllLines(resumed.Journal);
            int column = Array.IndexOf(csv[0].Split(','), "T1c.enhancing.stat.mean");
            int feature = table.FeatureNames.ToList().IndexOf("T1c.enhancing.stat.mean");
            Assert.Equal(double.Parse(csv[2].Split(',')[column], CultureInfo.InvariantCulture), table.Values[1, feature]);
        }
    }

    [Fact]
    public void A_run_killed_while_writing_the_last_study_is_completed_on_resume()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        var plan = Plan(dir, manifest, dir.File("f.csv"), BatchFormat.Csv);
        new BatchExtraction(1, TextWriter.Null, false).Run(plan);
        var (table, errors) = (File.ReadAllBytes(plan.OutPath), File.ReadAllBytes(plan.ErrorsPath));

        // Killed while appending s3's row: its reasons for missing values are in the errors file (they go first), the
        // row is half written, and so is an errors line.
        var rows = File.ReadAllText(plan.OutPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(plan.OutPath, string.Join("\n", rows[..^1]) + "\n" + rows[^1][..(rows[^1].Length / 2)]);
        var s3Reasons = File.ReadAllLines(plan.ErrorsPath).Where(l => l.StartsWith("s3,", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(s3Reasons);
        File.AppendAllText(plan.ErrorsPath, s3Reasons[0][..(s3Reasons[0].Length / 2)]);
        // As tables from before the batch engine named the message column (their reasons are kept all the same).
        File.WriteAllText(plan.ErrorsPath, File.ReadAllText(plan.ErrorsPath).Replace("id,feature,error\n", "id,feature,reason\n"));

        var summary = new BatchExtraction(1, TextWriter.Null, false).Run(plan);
        Assert.Equal((2, 1, 2), (summary.Skipped, summary.Succeeded, summary.Failed));
        Assert.Equal(table, File.ReadAllBytes(plan.OutPath));
        Assert.Equal(errors, File.ReadAllBytes(plan.ErrorsPath));
    }

    [Fact]
    public void Two_jobs_give_the_output_of_one()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        foreach (var jobs in new[] { "1", "2" })
            Run("extract", "--manifest", manifest, "--settings", dir.File("settings.yaml"), "--out", dir.File($"jobs{jobs}.csv"), "--jobs", jobs);
        Assert.Equal(4, File.ReadAllLines(dir.File("jobs1.csv")).Length);
        Assert.Equal(File.ReadAllBytes(dir.File("jobs1.csv")), File.ReadAllBytes(dir.File("jobs2.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("jobs1.errors.csv")), File.ReadAllBytes(dir.File("jobs2.errors.csv")));
    }

    [Fact]
    public void Resuming_an_output_made_with_other_settings_is_refused()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        var outPath = dir.File("f.csv");
        Run("extract", "--manifest", manifest, "--settings", dir.File("settings.yaml"), "--out", outPath);
        var before = File.ReadAllBytes(outPath);
        File.WriteAllText(dir.File("other.yaml"), Settings.Replace("bin_count: 16", "bin_count: 8"));
        var (code, _, err) = Run("extract", "--manifest", manifest, "--settings", dir.File("other.yaml"), "--out", outPath);
        Assert.Equal(1, code);
        Assert.Contains("cannot resume", err);
        Assert.Contains($"settings_hash ({SettingsHash.Of(Settings)}, now {SettingsHash.Of(Settings.Replace("bin_count: 16", "bin_count: 8"))})", err);
        Assert.Equal(before, File.ReadAllBytes(outPath));
        Assert.Equal(Settings, File.ReadAllText(dir.File("f.settings.yaml")));
    }

    /// <summary>A log that cancels the run when the <paramref name="after"/>-th case is reported.</summary>
    private sealed class CancelOnWrite(CancellationTokenSource cancel, int after) : StringWriter
    {
        private int _reports;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith('[') == true && ++_reports == after) cancel.Cancel();
        }
    }
}
