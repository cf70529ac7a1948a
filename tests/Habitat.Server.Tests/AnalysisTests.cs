using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Settings;
using Habitat.Server.Analysis;
using Habitat.Server.Domain;
using Habitat.Synthesis;
using Microsoft.Extensions.DependencyInjection;

namespace Habitat.Server.Tests;

public sealed class AnalysisTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_study_analysed_through_the_API_gives_exactly_the_probability_of_habitat_predict(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        var admin = await host.AsRoleAsync(Roles.Admin);
        var clinician = await host.AsRoleAsync(Roles.Clinician);

        // No model yet: starting an analysis is refused with a clear 409.
        using var files = new Habitat.Testing.TempDir();
        var caseDir = SyntheticFiles.Write(files.Path, 1);
        var study = await (await clinician.PostAsync("/api/studies", SyntheticFiles.Upload(caseDir, "PSN-100"))).JsonAsync();
        var studyId = study.GetProperty("id").GetString();
        var refused = await clinician.PostAsJsonAsync($"/api/studies/{studyId}/analyses", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        var demo = await admin.PostAsync("/api/models/demo?cases=12", null);
        Assert.Equal(HttpStatusCode.Accepted, demo.StatusCode);
        var job = await admin.WaitForJobAsync((await demo.JsonAsync()).GetProperty("jobId").GetString()!, TimeSpan.FromMinutes(3));
        Assert.True("done" == job.GetProperty("status").GetString(), job.ToString());
        var model = (await (await clinician.GetAsync("/api/models")).JsonAsync()).EnumerateArray().Single();
        Assert.True(model.GetProperty("isDefault").GetBoolean());
        Assert.True(model.GetProperty("synthetic").GetBoolean());
        Assert.Contains("SYNTHETIC", model.GetProperty("name").GetString());

        var started = await clinician.PostAsJsonAsync($"/api/studies/{studyId}/analyses", new { });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var ids = await started.JsonAsync();
        job = await clinician.WaitForJobAsync(ids.GetProperty("jobId").GetString()!, TimeSpan.FromMinutes(2));
        Assert.True("done" == job.GetProperty("status").GetString(), job.ToString());
        var read = await (await clinician.GetAsync($"/api/analyses/{ids.GetProperty("analysisId").GetString()}")).JsonAsync();
        var analysis = read.GetProperty("analysis");
        double apiProbability = analysis.GetProperty("probability").GetDouble();

        // The same files through habitat predict: features from the same study-level extractor, written as a table.
        var models = host.App.Services.GetRequiredService<Models>();
        var modelDir = files.File("model");
        Directory.CreateDirectory(modelDir);
        File.Copy(host.App.Services.GetRequiredService<Habitat.Server.Storage.BlobStore>().PathOf((await models.BlobOfAsync(model.GetProperty("id").GetString()!))!),
            Path.Combine(modelDir, "model.json"));
        var images = new StudyImages(new Dictionary<string, Habitat.Imaging.Volume>
            {
                ["T1c"] = ImageFile.Read(Path.Combine(caseDir, "T1c.nii.gz")), ["FLAIR"] = ImageFile.Read(Path.Combine(caseDir, "FLAIR.nii.gz")),
            }, ImageFile.ReadLabels(Path.Combine(caseDir, CohortWriter.HabitatFile)), ImageFile.ReadLabels(Path.Combine(caseDir, CohortWriter.BrainMaskFile)), true);
        var features = new HabitatStudyFeatureExtractor().Extract(images, SettingsLoader.Parse(DemoModel.Settings, "demo"));
        var csv = new StringBuilder("case_id,settings_hash");
        foreach (var f in features) csv.Append(',').Append(f.Name);
        csv.Append("\nPSN-100,").Append(Habitat.Learning.Data.SettingsHash.Of(DemoModel.Settings));
        foreach (var f in features) csv.Append(',').Append(f.Value.ToString("R", CultureInfo.InvariantCulture));
        File.WriteAllText(files.File("features.csv"), csv.Append('\n').ToString());
        var output = new StringWriter();
        int exit = Habitat.Cli.Program.Run(["predict", "--model", modelDir, "--features", files.File("features.csv"), "--out", files.File("p.csv")], output, output);
        Assert.True(exit == 0, output.ToString());
        var row = File.ReadAllLines(files.File("p.csv"))[1].Split(',');
        Assert.Equal(double.Parse(row[1], CultureInfo.InvariantCulture), apiProbability);
        Assert.Equal(row[3], analysis.GetProperty("predictedClass").GetString());
        Assert.True(apiProbability is > 0 and < 1);
        Assert.True(analysis.GetProperty("contributions").GetProperty("items").GetArrayLength() > 0);
        Assert.True(analysis.GetProperty("timings").GetProperty("extract_features_s").GetDouble() >= 0);

        // The feature map downloads as a NIfTI on the study's grid.
        var map = read.GetProperty("maps").EnumerateArray().Single();
        var bytes = await clinician.GetByteArrayAsync(map.GetProperty("url").GetString());
        File.WriteAllBytes(files.File("map.nii.gz"), bytes);
        var volume = ImageFile.Read(files.File("map.nii.gz"));
        images.Habitat.Grid.EnsureMatches(volume.Grid, "habitat", "map");
        Assert.Contains(volume.Voxels, v => float.IsFinite(v) && v != 0);

        // Server-sent events replay the finished job's state and end.
        var events = await clinician.GetStringAsync($"/api/jobs/{ids.GetProperty("jobId").GetString()}/events");
        Assert.StartsWith("event: progress\ndata: {", events);
        Assert.Contains("\"Status\":\"done\"", events);

        var audit = await (await admin.GetAsync("/api/audit")).JsonAsync();
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToArray();
        Assert.Contains("analysis.started", actions);
        Assert.Contains("model.demo-trained", actions);
        Assert.Contains("map.downloaded", actions);
    }
}
