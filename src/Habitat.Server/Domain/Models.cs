using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Habitat.Learning.Models;
using Habitat.Server.Storage;

namespace Habitat.Server.Domain;

public sealed record ModelInfo(string Id, string Name, bool IsDefault, bool Synthetic, JsonElement Summary, string UploadedBy, string CreatedAt);

/// <summary>
/// Uploaded <c>habitat train</c> bundles. The manifest (<c>model.json</c>) is a content-addressed blob; the row keeps a
/// summary for the model card (classifier, threshold, training cohort, cross-validated metrics, settings hash) and
/// whether the model was trained on synthetic data. Exactly one model may be the default.
/// </summary>
public sealed class Models(Database db, BlobStore blobs, string cacheDir)
{
    private readonly ConcurrentDictionary<string, ModelBundle> _loaded = new();
    internal static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public async Task<ModelInfo> AddAsync(string name, string blob, bool synthetic, User uploader)
    {
        var id = await db.InTransactionAsync((c, t) => AddAsync(c, t, name, blob, synthetic, uploader));
        return (await GetAsync(id))!;
    }

    /// <summary>Adds the model inside the caller's transaction (the first model becomes the default); returns its id.</summary>
    public async Task<string> AddAsync(DbConnection c, DbTransaction t, string name, string blob, bool synthetic, User uploader)
    {
        var bundle = Load(blob);
        if (bundle.FeatureSettings is null)
            throw new InvalidDataException("the model carries no feature settings (train it with habitat train --settings S) so its features cannot be extracted");
        var summary = JsonSerializer.Serialize(new
        {
            model = bundle.Pipeline.Spec.Describe(),
            threshold = bundle.Pipeline.Threshold,
            classNames = bundle.TrainingCohort.ClassNames,
            trainingCohort = bundle.TrainingCohort,
            crossValidation = bundle.CrossValidation,
            selectedFeatures = bundle.SelectedFeatures,
            settingsHash = bundle.SettingsHash,
            synthetic,
            intendedUse = synthetic
                ? "SYNTHETIC DEMONSTRATION MODEL trained on generated images: not for any clinical use"
                : "research and decision support; not a diagnosis",
        }, Json);
        var id = Guid.NewGuid().ToString("N");
        bool first = (await Database.QueryAsync(c, t, "SELECT COUNT(*) FROM models", null, r => Convert.ToInt64(r.GetValue(0))))[0] == 0;
        await using var insert = Database.Command(c, "INSERT INTO models (id, name, blob, is_default, synthetic, summary, uploaded_by, created_at) " +
                                                      "VALUES (@id, @name, @blob, @isDefault, @synthetic, @summary, @by, @at)",
            new { id, name, blob, isDefault = first ? 1 : 0, synthetic = synthetic ? 1 : 0, summary, by = uploader.Id, at = Clock.Now() }, t);
        await insert.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>The bundle of a stored manifest blob, loaded once.</summary>
    public ModelBundle Load(string blob) => _loaded.GetOrAdd(blob, b =>
    {
        var folder = Path.Combine(cacheDir, b);
        if (!File.Exists(Path.Combine(folder, ModelBundle.ManifestName)))
        {
            var temp = folder + ".tmp-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(temp);
            File.Copy(blobs.PathOf(b), Path.Combine(temp, ModelBundle.ManifestName));
            try { Directory.Move(temp, folder); }
            catch (IOException) when (Directory.Exists(folder)) { Directory.Delete(temp, true); } // another thread won
        }
        return ModelBundle.Load(folder);
    });

    public async Task<bool> SetDefaultAsync(string id) => await db.InTransactionAsync(async (c, t) =>
    {
        if ((await Database.QueryAsync(c, t, "SELECT id FROM models WHERE id = @id", new { id }, r => r.GetString(0))).Count == 0) return false;
        await using var clear = Database.Command(c, "UPDATE models SET is_default = 0 WHERE is_default = 1", null, t);
        await clear.ExecuteNonQueryAsync();
        await using var set = Database.Command(c, "UPDATE models SET is_default = 1 WHERE id = @id", new { id }, t);
        await set.ExecuteNonQueryAsync();
        return true;
    });

    private const string Select = "SELECT m.id, m.name, m.is_default, m.synthetic, m.summary, u.name, m.created_at, m.blob FROM models m JOIN users u ON u.id = m.uploaded_by ";

    public Task<ModelInfo?> GetAsync(string id) => db.SingleAsync(Select + "WHERE m.id = @id", new { id }, Read);
    public Task<ModelInfo?> DefaultAsync() => db.SingleAsync(Select + "WHERE m.is_default = 1", null, Read);
    public Task<List<ModelInfo>> ListAsync() => db.QueryAsync(Select + "ORDER BY m.created_at", null, Read);
    public async Task<string?> BlobOfAsync(string id) => await db.SingleAsync("SELECT blob FROM models WHERE id = @id", new { id }, r => r.GetString(0));

    private static ModelInfo Read(System.Data.Common.DbDataReader r) => new(r.GetString(0), r.GetString(1), Convert.ToInt64(r.GetValue(2)) != 0,
        Convert.ToInt64(r.GetValue(3)) != 0, JsonDocument.Parse(r.GetString(4)).RootElement.Clone(), r.GetString(5), r.GetString(6));
}
