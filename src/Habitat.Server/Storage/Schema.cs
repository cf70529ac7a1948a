using System.Data.Common;

namespace Habitat.Server.Storage;

/// <summary>
/// The versioned schema. Each migration is applied once, in order, in its own transaction, and recorded in
/// <c>schema_version</c>; start-up applies whatever is missing. Identifiers are text (random 128-bit ids), times are
/// ISO-8601 UTC text, so both engines store the same values. Never edit a released migration: append a new one.
/// </summary>
public static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: the whole domain.
        """
        CREATE TABLE users (
          id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('admin','clinician','researcher')),
          password_hash TEXT NOT NULL, created_at TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE api_tokens (
          id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), token_hash TEXT NOT NULL UNIQUE, label TEXT NOT NULL,
          created_at TEXT NOT NULL, revoked_at TEXT NULL);
        CREATE TABLE patients (id TEXT PRIMARY KEY, pseudonym TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
        CREATE TABLE studies (
          id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), study_date TEXT NULL, description TEXT NOT NULL,
          uploaded_by TEXT NOT NULL REFERENCES users(id), created_at TEXT NOT NULL);
        CREATE TABLE study_files (
          id TEXT PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies(id), role TEXT NOT NULL, blob TEXT NOT NULL,
          original_name TEXT NOT NULL, description TEXT NOT NULL, suggested_role TEXT NULL,
          size_x INTEGER NOT NULL, size_y INTEGER NOT NULL, size_z INTEGER NOT NULL, UNIQUE (study_id, role));
        CREATE TABLE models (
          id TEXT PRIMARY KEY, name TEXT NOT NULL, blob TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0, synthetic INTEGER NOT NULL,
          summary TEXT NOT NULL, uploaded_by TEXT NOT NULL REFERENCES users(id), created_at TEXT NOT NULL);
        CREATE TABLE jobs (
          id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('queued','running','done','failed')),
          progress DOUBLE PRECISION NOT NULL DEFAULT 0, stage TEXT NOT NULL DEFAULT '', error TEXT NULL, attempts INTEGER NOT NULL DEFAULT 0,
          completions INTEGER NOT NULL DEFAULT 0, payload TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users(id),
          created_at TEXT NOT NULL, started_at TEXT NULL, finished_at TEXT NULL);
        CREATE INDEX jobs_status ON jobs(status, created_at);
        CREATE TABLE analyses (
          id TEXT PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies(id), model_id TEXT NOT NULL REFERENCES models(id),
          job_id TEXT NOT NULL UNIQUE REFERENCES jobs(id), settings TEXT NOT NULL, features TEXT NULL, probability DOUBLE PRECISION NULL,
          threshold DOUBLE PRECISION NULL, predicted_class TEXT NULL, contributions TEXT NULL, maps TEXT NULL, timings TEXT NULL,
          created_at TEXT NOT NULL);
        CREATE TABLE audit_log (
          seq {serial} PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
        {audit_append_only}
        """,
        // 2: sign-in lockout and the security stamp that ends a user's cookie sessions when the password changes or the account is disabled.
        """
        ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
        ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN locked_until TEXT NULL;
        """,
    ];

    private static string Dialect(string sql, DatabaseProvider provider) => provider == DatabaseProvider.Sqlite
        ? sql.Replace("{serial}", "INTEGER").Replace("{audit_append_only}", """
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """)
        : sql.Replace("{serial}", "BIGSERIAL").Replace("{audit_append_only}", """
            CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
            CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only();
            """);

    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; returns the version found before.</summary>
    public static async Task<int> MigrateAsync(Database db, CancellationToken ct = default)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
            await db.QueryAsync("PRAGMA journal_mode = WAL", null, r => r.GetString(0), ct);
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)", null, ct);
        var before = (await db.QueryAsync("SELECT COALESCE(MAX(version), 0) FROM schema_version", null, r => Convert.ToInt32(r.GetValue(0)), ct))[0];
        for (int version = before + 1; version <= Migrations.Length; version++)
        {
            var sql = Dialect(Migrations[version - 1], db.Provider);
            int v = version;
            await db.InTransactionAsync(async (c, t) =>
            {
                await Exec(c, t, sql, ct);
                await using var record = Database.Command(c, "INSERT INTO schema_version (version, applied_at) VALUES (@v, @at)", new { v, at = Clock.Now() }, t);
                return await record.ExecuteNonQueryAsync(ct);
            }, ct);
        }
        return before;
    }

    private static async Task Exec(DbConnection c, DbTransaction t, string sql, CancellationToken ct)
    {
        await using var command = Database.Command(c, sql, null, t);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Times as sortable ISO-8601 UTC text, the same in both engines.</summary>
public static class Clock
{
    public static string Now() => Format(DateTime.UtcNow);
    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
