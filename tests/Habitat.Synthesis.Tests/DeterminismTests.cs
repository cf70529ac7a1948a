using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Synthesis.Tests;

public sealed class DeterminismTests
{
    private static Dictionary<string, byte[]> ReadAll(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    [Fact]
    public void Same_seed_gives_byte_identical_files_whatever_the_thread_count()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var settings = new SynthesisSettings(3, 2, seed: 77, profile: AcquisitionProfile.Clinical);
        CohortWriter.Write(CohortPlan.Create(settings), a.Path, maxDegreeOfParallelism: 1);
        CohortWriter.Write(CohortPlan.Create(settings), b.Path, maxDegreeOfParallelism: 3);
        var first = ReadAll(a.Path);
        var second = ReadAll(b.Path);
        Assert.Equal(3 * 4 + 2, first.Count);
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach (var (name, bytes) in first)
            Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between two runs with the same seed");

        // The files are real volumes on one grid, and a different seed gives different images.
        var t1c = ImageFile.Read(Path.Combine(a.Path, "case-0001", "T1c.nii.gz"));
        var flair = ImageFile.Read(Path.Combine(a.Path, "case-0001", "FLAIR.nii.gz"));
        var habitat = ImageFile.ReadLabels(Path.Combine(a.Path, "case-0001", "habitat.nii.gz"));
        t1c.Grid.EnsureMatches(flair.Grid, "T1c", "FLAIR");
        t1c.Grid.EnsureMatches(habitat.Grid, "T1c", "habitat");
        Assert.Equal([0, 1, 2, 3], habitat.CountByLabel().Keys);
        var other = StudyGenerator.Generate(settings with { }, CohortPlan.Create(new SynthesisSettings(3, 2, seed: 78)).Sites[0],
            CohortPlan.Create(new SynthesisSettings(3, 2, seed: 78)).Cases[0]);
        Assert.False(other.Images["T1c"].Voxels.AsSpan().SequenceEqual(t1c.Voxels), "a different seed gave the same T1c");
    }

    [Fact]
    public void Cohort_table_lists_every_case_with_patient_site_and_label()
    {
        using var dir = new TempDir();
        var plan = CohortPlan.Create(new SynthesisSettings(40, 3, seed: 5));
        CohortWriter.WriteTables(plan, plan.Cases.Select(_ => (IReadOnlyList<KeyValuePair<string, double>>)[new("x", 1.5)]).ToArray(), dir.Path);
        var lines = File.ReadAllLines(dir.File("cohort.csv"));
        Assert.Equal("case_id,patient_id,site,label", lines[0]);
        Assert.Equal(41, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^case-\d{4},patient-\d{4},site[123],(recurrence|necrosis)$", l));
        // Some patients have two studies, and they share site and label.
        var byPatient = plan.Cases.GroupBy(c => c.PatientId).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(byPatient);
        Assert.All(byPatient, g => Assert.Single(g.Select(c => (c.Site, c.Recurrence)).Distinct()));
        Assert.Equal("case_id,patient_id,site,label,x", File.ReadLines(dir.File("truth.csv")).First());
    }
}
