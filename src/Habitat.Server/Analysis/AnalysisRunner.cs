using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Habitat.Imaging.IO;
using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Maps;
using Habitat.Radiomics.Settings;
using Habitat.Server.Domain;
using Habitat.Server.Storage;

namespace Habitat.Server.Analysis;

/// <summary>
/// One analysis: read the study as <c>habitat extract --study</c> does, extract its features with the model's own embedded settings, predict with the
/// model (the same <see cref="ModelBundle.Predict"/> that <c>habitat predict</c> runs), compute the CoLlAGe entropy
/// map of T1c over the whole lesion, and store everything with per-stage timings.
/// </summary>
public sealed class AnalysisRunner(Database db, BlobStore blobs, Studies studies, Models models, Domain.Jobs jobs, IStudyFeatureExtractor extractor, string tempDir)
{
    public const int TopContributions = 10;

    public async Task RunAsync(Job job, CancellationToken ct)
    {
        var analysisId = job.Payload;
        var (studyId, modelId) = (await db.SingleAsync("SELECT study_id, model_id FROM analyses WHERE id = @analysisId", new { analysisId },
            r => Tuple.Create(r.GetString(0), r.GetString(1)), ct))!;
        var timings = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        void Lap(string stage) { timings[stage] = Math.Round(clock.Elapsed.TotalSeconds, 3); clock.Restart(); }

        var study = await studies.GetAsync(studyId) ?? throw new InvalidDataException($"study {studyId} not found");
        var bundle = models.Load((await models.BlobOfAsync(modelId))!);
        var settingsText = bundle.FeatureSettings!;
        var settings = SettingsLoader.Parse(settingsText, "model " + modelId);
        var absent = FileRoles.Sequences.Where(s => study.Files.All(f => f.Role != s) && bundle.Pipeline.InputFeatures.Any(f => f.StartsWith(s + ".", StringComparison.Ordinal))).ToArray();
        if (absent.Length > 0) throw new InvalidDataException($"the model needs the sequence(s) {string.Join(", ", absent)}, which this study does not have");
        await jobs.ProgressAsync(job, 0.05, "reading images");
        var images = StoredStudy.Read(study, blobs, settings.Habitat ?? new HabitatSettings());
        Lap("read_images_s");

        await jobs.ProgressAsync(job, 0.15, "extracting features");
        var features = await Task.Run(() => extractor.Extract(images, settings), ct);
        Lap("extract_features_s");

        await jobs.ProgressAsync(job, 0.7, "predicting");
        var table = ToTable(studyId, features, SettingsHash.Of(settingsText));
        var prediction = bundle.Predict(table, topFeatures: TopContributions)[0];
        Lap("predict_s");

        await jobs.ProgressAsync(job, 0.8, "computing feature maps");
        var maps = await Task.Run(() => ComputeMapsAsync(images, ct), ct);
        Lap("maps_s");

        var featureJson = JsonSerializer.Serialize(features.ToDictionary(f => f.Name, f => double.IsFinite(f.Value) ? (double?)f.Value : null));
        var contributions = JsonSerializer.Serialize(prediction.Explanation is null ? null : new
        {
            scale = prediction.Explanation.Scale,
            baseline = prediction.Explanation.Baseline,
            items = prediction.Explanation.Contributions.Select(c => new { feature = c.Feature, value = c.Value, contribution = c.Contribution }),
        }, Models.Json);
        await jobs.CompleteAsync(job, async (c, t) =>
        {
            await using var update = Database.Command(c,
                "UPDATE analyses SET features = @featureJson, probability = @probability, threshold = @threshold, predicted_class = @predictedClass, " +
                "contributions = @contributions, maps = @maps, timings = @timings WHERE id = @analysisId",
                new
                {
                    featureJson, probability = prediction.Probability, threshold = bundle.Pipeline.Threshold, predictedClass = prediction.PredictedClass,
                    contributions, maps = JsonSerializer.Serialize(maps), timings = JsonSerializer.Serialize(timings), analysisId,
                }, t);
            await update.ExecuteNonQueryAsync(ct);
        });
    }

    /// <summary>One row, named as <c>habitat extract --study</c> names features, carrying the settings hash.</summary>
    internal static FeatureTable ToTable(string caseId, IReadOnlyList<HabitatFeature> features, string settingsHash)
    {
        var values = new double[features.Count];
        for (int n = 0; n < values.Length; n++) values[n] = features[n].Value;
        return new FeatureTable("study " + caseId, [caseId], features.Select(f => f.Name).ToArray(), new FeatureMatrix(1, values.Length, values), settingsHash);
    }

    /// <summary>The CoLlAGe (Prasanna et al. 2016) entropy map of T1c over the whole lesion, stored as a NIfTI blob.</summary>
    private async Task<Dictionary<string, string>> ComputeMapsAsync(HabitatStudy images, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!images.Sequences.TryGetValue("T1c", out var t1c)) return result;
        var lesion = Compartments.MaskOf(images.Habitat, LabelMapping.BraTS.WholeLesion);
        if (!lesion.Contains((byte)1)) return result;
        var collage = Collage.Compute(t1c, lesion, new CollageSettings { Dimension = CollageDimension.TwoD });
        var entropy = collage.Maps.FirstOrDefault(m => m.Name.Contains("entr", StringComparison.Ordinal)) ?? collage.Maps[0];
        Directory.CreateDirectory(tempDir);
        var temp = Path.Combine(tempDir, Guid.NewGuid().ToString("N") + ".nii.gz");
        try
        {
            ImageFile.Write(entropy.ToVolume(), temp);
            result[entropy.Name] = await blobs.PutFileAsync(temp, ct);
        }
        finally { File.Delete(temp); }
        return result;
    }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
