using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Server.Domain;
using Habitat.Synthesis;
using Habitat.Testing;

namespace Habitat.Server.Tests;

/// <summary>
/// A study sent as one zip of DICOM files through the API: the series are listed with their descriptions and suggested
/// roles, the user confirms (and corrects) the roles, the study is stored and analysed, and the stored images are
/// the DICOM pixels on the label map's grid.
/// </summary>
public sealed class DicomUploadTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_DICOM_zip_is_listed_confirmed_stored_and_analysed(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        var clinician = await host.AsRoleAsync(Roles.Clinician);
        var admin = await host.AsRoleAsync(Roles.Admin);
        using var files = new TempDir();
        var caseDir = SyntheticFiles.Write(files.Path, 3);
        var t1c = ImageFile.Read(Path.Combine(caseDir, "T1c.nii.gz"));
        var flair = ImageFile.Read(Path.Combine(caseDir, "FLAIR.nii.gz"));
        var localizer = new Volume(t1c.Grid.WithSize(t1c.Grid.Nx, t1c.Grid.Ny, 3), t1c.Voxels[..(t1c.Grid.Nx * t1c.Grid.Ny * 3)]);
        var zip = files.File("study.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            // Entry names are hostile on purpose: they must never become paths.
            AddSeries(archive, "../../escape/t1c-", "1.2.826.0.1.1", "AX T1 POST GD", t1c);
            AddSeries(archive, "/abs/flair-", "1.2.826.0.1.2", "AX T2 dark fluid", flair);
            AddSeries(archive, "loc-", "1.2.826.0.1.3", "localizer", localizer);
        }

        // Inspect: every series with its description, size and suggested role; nothing stored.
        var inspect = new MultipartFormDataContent();
        SyntheticFiles.Add(inspect, "dicom", zip);
        var listed = await clinician.PostAsync("/api/dicom/inspect", inspect);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var series = (await listed.JsonAsync()).EnumerateArray().ToDictionary(s => s.GetProperty("description").GetString()!);
        Assert.Equal(["AX T1 POST GD", "AX T2 dark fluid", "localizer"], series.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("T1c", series["AX T1 POST GD"].GetProperty("suggestedRole").GetString());
        Assert.Equal("T2", series["AX T2 dark fluid"].GetProperty("suggestedRole").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, series["localizer"].GetProperty("suggestedRole").ValueKind);
        Assert.Equal(t1c.Grid.Nz, series["AX T1 POST GD"].GetProperty("slices").GetInt32());
        Assert.Equal(t1c.Grid.Nx, series["AX T1 POST GD"].GetProperty("columns").GetInt32());
        Assert.Equal([0L], await host.Db.QueryAsync("SELECT COUNT(*) FROM studies", null, r => Convert.ToInt64(r.GetValue(0))));

        // Upload with the roles confirmed: T1c as suggested, the "T2" series corrected to FLAIR, the localizer skipped.
        var upload = new MultipartFormDataContent
        {
            { new StringContent("PSN-DCM"), "patient" }, { new StringContent("2026-11-21"), "studyDate" },
            { new StringContent("T1c"), "series." + series["AX T1 POST GD"].GetProperty("seriesInstanceUid").GetString() },
            { new StringContent("FLAIR"), "series." + series["AX T2 dark fluid"].GetProperty("seriesInstanceUid").GetString() },
            { new StringContent("skip"), "series." + series["localizer"].GetProperty("seriesInstanceUid").GetString() },
        };
        SyntheticFiles.Add(upload, "dicom", zip);
        SyntheticFiles.Add(upload, "label_map", Path.Combine(caseDir, CohortWriter.HabitatFile));
        SyntheticFiles.Add(upload, "brain_mask", Path.Combine(caseDir, CohortWriter.BrainMaskFile));
        var created = await clinician.PostAsync("/api/studies", upload);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var study = await created.JsonAsync();
        var stored = study.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("role").GetString()!);
        Assert.Equal(["FLAIR", "T1c", "brain_mask", "label_map"], stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("AX T2 dark fluid", stored["FLAIR"].GetProperty("description").GetString());
        Assert.Equal("T2", stored["FLAIR"].GetProperty("suggestedRole").GetString());
        Assert.Equal("T1c", stored["T1c"].GetProperty("suggestedRole").GetString());
        Assert.False(Directory.Exists(Path.GetFullPath(Path.Combine(host.Data.Path, "tmp", "../../escape"))));

        // The stored sequences are the DICOM pixels (to the 16-bit quantisation) on the label map's grid.
        var studyId = study.GetProperty("id").GetString();
        foreach (var (role, original) in new[] { ("T1c", t1c), ("FLAIR", flair) })
        {
            File.WriteAllBytes(files.File(role + "-stored.nii.gz"), await clinician.GetByteArrayAsync($"/api/studies/{studyId}/images/{role}.nii.gz"));
            var back = ImageFile.Read(files.File(role + "-stored.nii.gz"));
            original.Grid.EnsureMatches(back.Grid, "original " + role, "stored " + role);
            double step = Slope(original);
            for (int n = 0; n < back.Voxels.Length; n++)
                Assert.True(Math.Abs(back.Voxels[n] - original.Voxels[n]) <= 0.5 * step + 1e-3 * Math.Abs(original.Voxels[n]), $"{role} voxel {n}: {back.Voxels[n]} vs {original.Voxels[n]}");
        }

        // Analysed like any other study.
        var model = new MultipartFormDataContent { { new StringContent("demo"), "name" }, { new StringContent("true"), "synthetic" } };
        SyntheticFiles.Add(model, "model", Path.Combine(SyntheticFiles.DemoModelDir, "model.json"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/models", model)).StatusCode);
        var started = await (await clinician.PostAsJsonAsync($"/api/studies/{studyId}/analyses", new { })).JsonAsync();
        var job = await clinician.WaitForJobAsync(started.GetProperty("jobId").GetString()!, TimeSpan.FromMinutes(2));
        Assert.True(job.GetProperty("status").GetString() == "done", job.ToString());
        var analysis = (await (await clinician.GetAsync($"/api/analyses/{started.GetProperty("analysisId").GetString()}")).JsonAsync()).GetProperty("analysis");
        Assert.True(analysis.GetProperty("probability").GetDouble() is > 0 and < 1);
        Assert.Contains(analysis.GetProperty("features").EnumerateObject(), f => f.Name.StartsWith("FLAIR.", StringComparison.Ordinal));
    }

    /// <summary>A rescale slope that fits the volume's largest magnitude into 16 bits, exact in the 6 decimals the test writer prints.</summary>
    private static double Slope(Volume v)
    {
        double max = 0;
        foreach (var x in v.Voxels) max = Math.Max(max, Math.Abs(x));
        return max == 0 ? 1 : Math.Ceiling(max / 30000 * 1e6) / 1e6;
    }

    /// <summary>One DICOM file per slice, positioned and oriented from the volume's grid (LPS, as DICOM is).</summary>
    private static void AddSeries(ZipArchive archive, string namePrefix, string seriesUid, string description, Volume volume)
    {
        var g = volume.Grid;
        Assert.Equal(g.Spacing.X, g.Spacing.Y);
        double slope = Slope(volume);
        var row = g.Direction.Column(0);
        var column = g.Direction.Column(1);
        for (int k = 0; k < g.Nz; k++)
        {
            var pixels = new short[g.Nx * g.Ny];
            for (int n = 0; n < pixels.Length; n++) pixels[n] = (short)Math.Round(volume.Voxels[g.Nx * g.Ny * k + n] / slope);
            var position = g.IndexToPhysical(0, 0, k);
            var slice = DicomTestWriter.Int16Slice(seriesUid, k + 1, [position.X, position.Y, position.Z], pixels, rows: g.Ny, columns: g.Nx,
                orientation: [row.X, row.Y, row.Z, column.X, column.Y, column.Z], pixelSpacing: g.Spacing.X, slope: slope, description: description);
            var entry = archive.CreateEntry($"{namePrefix}{k:D3}.dcm");
            using var stream = entry.Open();
            stream.Write(slice.ToPart10());
        }
    }
}
