using System.Data.Common;
using Habitat.Server.Storage;

namespace Habitat.Server.Domain;

public static class JobStatus
{
    public const string Queued = "queued", Running = "running", Done = "done", Failed = "failed";
}

public static class JobKinds
{
    public const string Analysis = "analysis", DemoModel = "demo-model";
}

public sealed record Job(string Id, string Kind, string Status, double Progress, string Stage, string? Error, int Attempts, int Completions,
                         string Payload, string CreatedBy, string CreatedAt, string? StartedAt, string? FinishedAt);

/// <summary>
/// The persistent job queue. A worker claims a queued job with a conditional update (only one claimer can win) that
/// also counts the attempt; start-up puts jobs left running by a killed process back in the queue. Progress, failure
/// and completion are fenced by the attempt number, so a stale run can never touch a later attempt; a job's results and
/// its <c>job.done</c> audit row are written in the same transaction that marks it done, and only if that attempt is
/// still running — so a job completes exactly once however often it was started.
/// </summary>
public sealed class Jobs(Database db)
{
    public async Task<string> EnqueueAsync(DbConnection c, DbTransaction t, string kind, string payload, User user)
    {
        var id = Guid.NewGuid().ToString("N");
        await using var insert = Database.Command(c, "INSERT INTO jobs (id, kind, status, payload, created_by, created_at) VALUES (@id, @kind, 'queued', @payload, @by, @at)",
            new { id, kind, payload, by = user.Id, at = Clock.Now() }, t);
        await insert.ExecuteNonQueryAsync();
        return id;
    }

    public Task<string> EnqueueAsync(string kind, string payload, User user) => db.InTransactionAsync((c, t) => EnqueueAsync(c, t, kind, payload, user));

    /// <summary>Jobs a killed process left running go back to the queue. Returns how many.</summary>
    public Task<int> RequeueInterruptedAsync() =>
        db.ExecuteAsync("UPDATE jobs SET status = 'queued', stage = 'interrupted; queued again', progress = 0 WHERE status = 'running'");

    /// <summary>Claims the oldest queued job, or returns null when none is left.</summary>
    public async Task<Job?> ClaimNextAsync(CancellationToken ct)
    {
        while (true)
        {
            var next = await db.SingleAsync("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1", null, r => r.GetString(0), ct);
            if (next is null) return null;
            int claimed = await db.ExecuteAsync("UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = @at, stage = 'started' WHERE id = @next AND status = 'queued'",
                new { next, at = Clock.Now() }, ct);
            if (claimed == 1) return await GetAsync(next);
        }
    }

    private const string ThisAttempt = "id = @Id AND status = 'running' AND attempts = @Attempts";

    public Task ProgressAsync(Job job, double progress, string stage) =>
        db.ExecuteAsync("UPDATE jobs SET progress = @progress, stage = @stage WHERE " + ThisAttempt, new { job.Id, job.Attempts, progress, stage });

    public Task FailAsync(Job job, string error) =>
        db.ExecuteAsync("UPDATE jobs SET status = 'failed', error = @error, finished_at = @at WHERE " + ThisAttempt, new { job.Id, job.Attempts, error, at = Clock.Now() });

    /// <summary>Marks this attempt of the job done, records it in the audit log and writes the results with
    /// <paramref name="writeResults"/>, all in one transaction; throws <see cref="JobNoLongerRunningException"/> (and
    /// writes nothing) if the attempt is no longer the running one.</summary>
    public Task CompleteAsync(Job job, Func<DbConnection, DbTransaction, Task> writeResults) => db.InTransactionAsync(async (c, t) =>
    {
        await using var mark = Database.Command(c, "UPDATE jobs SET status = 'done', progress = 1, stage = 'done', completions = completions + 1, finished_at = @at WHERE " + ThisAttempt,
            new { job.Id, job.Attempts, at = Clock.Now() }, t);
        if (await mark.ExecuteNonQueryAsync() != 1) throw new JobNoLongerRunningException(job.Id);
        await Audit.RecordAsync(c, t, Audit.Service, "job.done", "job " + job.Id, $"{job.Kind}; attempt {job.Attempts}");
        await writeResults(c, t);
        return 0;
    });

    public Task<Job?> GetAsync(string id, CancellationToken ct = default) =>
        db.SingleAsync("SELECT id, kind, status, progress, stage, error, attempts, completions, payload, created_by, created_at, started_at, finished_at FROM jobs WHERE id = @id",
            new { id }, Read, ct);

    private static Job Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToDouble(r.GetValue(3)), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), Convert.ToInt32(r.GetValue(6)), Convert.ToInt32(r.GetValue(7)), r.GetString(8), r.GetString(9), r.GetString(10),
        r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12));
}

public sealed class JobNoLongerRunningException(string id) : InvalidOperationException($"job {id} is no longer running");
