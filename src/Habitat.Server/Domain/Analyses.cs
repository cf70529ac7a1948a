using System.Text.Json;
using Habitat.Server.Storage;

namespace Habitat.Server.Domain;

public sealed record AnalysisRecord(string Id, string StudyId, string ModelId, string JobId, string Status, double Progress, string Stage, string? Error,
                                    JsonElement Settings, JsonElement? Features, double? Probability, double? Threshold, string? PredictedClass,
                                    JsonElement? Contributions, JsonElement? Maps, JsonElement? Timings, string CreatedAt);

/// <summary>Analyses of studies: each is the result of one job (settings, model, features, probability, threshold, class,
/// top contributions, feature maps as blobs, timings).</summary>
public sealed class Analyses(Database db, Jobs jobs)
{
    public Task<(string AnalysisId, string JobId)> StartAsync(string studyId, string modelId, string settings, User user) => db.InTransactionAsync(async (c, t) =>
    {
        var id = Guid.NewGuid().ToString("N");
        var jobId = await jobs.EnqueueAsync(c, t, JobKinds.Analysis, id, user);
        await using var insert = Database.Command(c, "INSERT INTO analyses (id, study_id, model_id, job_id, settings, created_at) VALUES (@id, @studyId, @modelId, @jobId, @settings, @at)",
            new { id, studyId, modelId, jobId, settings, at = Clock.Now() }, t);
        await insert.ExecuteNonQueryAsync();
        return (id, jobId);
    });

    private const string Select = "SELECT a.id, a.study_id, a.model_id, a.job_id, j.status, j.progress, j.stage, j.error, a.settings, a.features, a.probability, a.threshold, " +
                                  "a.predicted_class, a.contributions, a.maps, a.timings, a.created_at FROM analyses a JOIN jobs j ON j.id = a.job_id ";

    public Task<AnalysisRecord?> GetAsync(string id) => db.SingleAsync(Select + "WHERE a.id = @id", new { id }, Read);
    public Task<List<AnalysisRecord>> ForStudyAsync(string studyId) => db.QueryAsync(Select + "WHERE a.study_id = @studyId ORDER BY a.created_at", new { studyId }, Read);

    private static JsonElement? Json(System.Data.Common.DbDataReader r, int i) => r.IsDBNull(i) ? null : JsonDocument.Parse(r.GetString(i)).RootElement.Clone();

    private static AnalysisRecord Read(System.Data.Common.DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        Convert.ToDouble(r.GetValue(5)), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), Json(r, 8)!.Value, Json(r, 9),
        r.IsDBNull(10) ? null : Convert.ToDouble(r.GetValue(10)), r.IsDBNull(11) ? null : Convert.ToDouble(r.GetValue(11)), r.IsDBNull(12) ? null : r.GetString(12),
        Json(r, 13), Json(r, 14), Json(r, 15), r.GetString(16));
}
