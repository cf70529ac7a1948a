using Habitat.Server.Storage;

namespace Habitat.Server.Domain;

public sealed record AuditEntry(long Seq, string At, string User, string Action, string Target, string Detail);

/// <summary>The append-only audit log: who did what to which object, when. The schema's triggers refuse updates and deletes.</summary>
public sealed class Audit(Database db)
{
    /// <summary>The name recorded for what the service does by itself (finishing a job).</summary>
    public const string Service = "(service)";
    private const string Insert = "INSERT INTO audit_log (at, user_name, action, target, detail) VALUES (@at, @user, @action, @target, @detail)";

    public Task RecordAsync(string user, string action, string target, string detail = "") =>
        db.ExecuteAsync(Insert, new { at = Clock.Now(), user, action, target, detail });

    /// <summary>Records inside the caller's transaction, so the entry exists exactly when the change it describes does.</summary>
    public static async Task RecordAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string user, string action, string target, string detail = "")
    {
        await using var insert = Database.Command(c, Insert, new { at = Clock.Now(), user, action, target, detail }, t);
        await insert.ExecuteNonQueryAsync();
    }

    public Task<List<AuditEntry>> ListAsync(int limit, long? before) =>
        db.QueryAsync("SELECT seq, at, user_name, action, target, detail FROM audit_log WHERE seq < @before ORDER BY seq DESC LIMIT @limit",
            new { before = before ?? long.MaxValue, limit },
            r => new AuditEntry(Convert.ToInt64(r.GetValue(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
}
