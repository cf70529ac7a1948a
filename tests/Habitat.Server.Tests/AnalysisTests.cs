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

        // The same files through the command line: habitat extract --study with the model's settings, then habitat predict.
        var models = host.App.Services.GetRequiredService<Models>();
        var modelDir = files.File("model");
        Directory.CreateDirectory(modelDir);
        File.Copy(host.App.Services.GetRequiredService<Habitat.Server.Storage.BlobStore>().PathOf((await models.BlobOfAsync(model.GetProperty("id").GetString()!))!),
            Path.Combine(modelDir, "model.json"));
        File.WriteAllText(files.File("settings.yaml"), DemoModel.Settings);
        var (cliProbability, cliClass, cliFeatures) = PredictWithCli(caseDir, modelDir, files);
        Assert.Equal(cliProbability, apiProbability);
        Assert.Equal(cliClass, analysis.GetProperty("predictedClass").GetString());
        AssertSameFeatures(cliFeatures, analysis);

        // Skull-stripped images (zero outside the brain) without a brain mask: both take the same normalisation region too.
        var noMaskDir = files.File("no-mask");
        Directory.CreateDirectory(noMaskDir);
        var brain = ImageFile.ReadLabels(Path.Combine(caseDir, CohortWriter.BrainMaskFile));
        foreach (var sequence in new[] { "T1c", "FLAIR" })
        {
            var image = ImageFile.Read(Path.Combine(caseDir, sequence + ".nii.gz"));
            for (int n = 0; n < image.Voxels.Length; n++) if (brain.Labels[n] == 0) image.Voxels[n] = 0;
            ImageFile.Write(image, Path.Combine(noMaskDir, sequence + ".nii.gz"));
        }
        File.Copy(Path.Combine(caseDir, CohortWriter.HabitatFile), Path.Combine(noMaskDir, CohortWriter.HabitatFile));
        var noMaskStudy = (await (await clinician.PostAsync("/api/studies", SyntheticFiles.Upload(noMaskDir, "PSN-101", brainMask: false))).JsonAsync()).GetProperty("id").GetString();
        var noMaskIds = await (await clinician.PostAsJsonAsync($"/api/studies/{noMaskStudy}/analyses", new { })).JsonAsync();
        Assert.Equal("done", (await clinician.WaitForJobAsync(noMaskIds.GetProperty("jobId").GetString()!, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        var noMask = (await (await clinician.GetAsync($"/api/analyses/{noMaskIds.GetProperty("analysisId").GetString()}")).JsonAsync()).GetProperty("analysis");
        var noMaskCli = PredictWithCli(noMaskDir, modelDir, files);
        Assert.Equal(noMaskCli.Probability, noMask.GetProperty("probability").GetDouble());
        AssertSameFeatures(noMaskCli.Features, noMask);
        // The whole field of view as normalisation region would give other z-scored values: the comparison above would catch it.
        var habitat = ImageFile.ReadLabels(Path.Combine(noMaskDir, CohortWriter.HabitatFile));
        var wholeFieldOfView = Habitat.Radiomics.Habitat.HabitatExtractor.Extract(
            new Dictionary<string, Habitat.Imaging.Volume> { ["T1c"] = ImageFile.Read(Path.Combine(noMaskDir, "T1c.nii.gz")), ["FLAIR"] = ImageFile.Read(Path.Combine(noMaskDir, "FLAIR.nii.gz")) },
            habitat, new Habitat.Imaging.LabelVolume(habitat.Grid, Enumerable.Repeat(1, habitat.Labels.Length).ToArray()), SettingsLoader.Parse(DemoModel.Settings, "demo"));
        Assert.NotEqual(wholeFieldOfView.Single(f => f.Name == "T1c.whole_lesion.stat.mean").Value, noMaskCli.Features["T1c.whole_lesion.stat.mean"]);

        Assert.True(apiProbability is > 0 and < 1);
        Assert.True(analysis.GetProperty("contributions").GetProperty("items").GetArrayLength() > 0);
        Assert.True(analysis.GetProperty("timings").GetProperty("extract_features_s").GetDouble() >= 0);

        // The feature map downloads as a NIfTI on the study's grid.
        var map = read.GetProperty("maps").EnumerateArray().Single();
        var bytes = await clinician.GetByteArrayAsync(map.GetProperty("url").GetString());
        File.WriteAllBytes(files.File("map.nii.gz"), bytes);
        var volume = ImageFile.Read(files.File("map.nii.gz"));
        ImageFile.ReadLabels(Path.Combine(caseDir, CohortWriter.HabitatFile)).Grid.EnsureMatches(volume.Grid, "habitat", "map");
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

    /// <summary><c>habitat extract --study</c> then <c>habitat predict</c>: the probability and class written for the study folder, and its features.</summary>
    private static (double Probability, string Class, Dictionary<string, double> Features) PredictWithCli(string studyDir, string modelDir, Habitat.Testing.TempDir files)
    {
        var output = new StringWriter();
        var table = files.File(Path.GetFileName(studyDir) + "-features.csv");
        var predictions = files.File(Path.GetFileName(studyDir) + "-p.csv");
        int exit = Habitat.Cli.Program.Run(["extract", "--study", studyDir, "--settings", files.File("settings.yaml"), "--out", table], output, output);
        Assert.True(exit == 0, output.ToString());
        exit = Habitat.Cli.Program.Run(["predict", "--model", modelDir, "--features", table, "--out", predictions], output, output);
        Assert.True(exit == 0, output.ToString());
        var row = File.ReadAllLines(predictions)[1].Split(',');
        var lines = File.ReadAllLines(table);
        var (header, values) = (lines[0].Split(','), lines[1].Split(','));
        var features = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int n = 0; n < header.Length; n++)
            if (header[n] is not ("id" or "settings_hash"))
                features[header[n]] = values[n].Length == 0 ? double.NaN : double.Parse(values[n], CultureInfo.InvariantCulture);
        return (double.Parse(row[1], CultureInfo.InvariantCulture), row[3], features);
    }

    /// <summary>The analysis stored every feature the command line extracts, with exactly the same value (missing as null).</summary>
    private static void AssertSameFeatures(Dictionary<string, double> cli, System.Text.Json.JsonElement analysis)
    {
        var stored = analysis.GetProperty("features").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null ? double.NaN : p.Value.GetDouble());
        Assert.Equal(cli.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in cli)
            Assert.True(value.Equals(stored[name]), $"{name}: habitat extract {value}, analysis {stored[name]}");
    }
}
