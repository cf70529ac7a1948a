using System.Text.Json;
using Habitat.Server.Analysis;
using Habitat.Server.Domain;
using Habitat.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Habitat.Server.Jobs;

/// <summary>
/// Runs queued jobs in the background with at most <c>MaxConcurrentJobs</c> at a time. On start it re-queues jobs a
/// killed process left running; the queue lives in the database, so nothing is lost with the process. A failing job
/// keeps its error message for the user.
/// </summary>
public sealed class JobWorker(Domain.Jobs jobs, AnalysisRunner analyses, DemoModelJob demo, ServerOptions options, ILogger<JobWorker> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Called after a job is queued so that an idle worker starts at once rather than at its next poll.</summary>
    public void Wake()
    {
        if (options.MaxConcurrentJobs > 0) _wake.Release(options.MaxConcurrentJobs);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.MaxConcurrentJobs == 0) return; // an API-only instance neither runs nor re-queues jobs
        int requeued = await jobs.RequeueInterruptedAsync();
        if (requeued > 0) log.LogWarning("{Count} interrupted job(s) queued again", requeued);
        var workers = Enumerable.Range(0, options.MaxConcurrentJobs).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Job? job;
            try { job = await jobs.ClaimNextAsync(ct); }
            catch (OperationCanceledException) { return; }
            if (job is null)
            {
                try { await _wake.WaitAsync(TimeSpan.FromSeconds(1), ct); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            try
            {
                if (job.Kind == JobKinds.Analysis) await analyses.RunAsync(job, ct);
                else if (job.Kind == JobKinds.DemoModel) await demo.RunAsync(job, ct);
                else throw new InvalidOperationException($"unknown job kind '{job.Kind}'");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; } // left running: re-queued at next start
            catch (JobNoLongerRunningException) { }
            catch (Exception e)
            {
                log.LogError(e, "job {Id} failed", job.Id);
                await jobs.FailAsync(job, e.Message);
            }
        }
    }
}

/// <summary>Trains the synthetic demo model and registers it (see <see cref="DemoModel"/>).</summary>
public sealed class DemoModelJob(Domain.Jobs jobs, Models models, Users users, BlobStore blobs, IStudyFeatureExtractor extractor, string tempDir)
{
    public async Task RunAsync(Job job, CancellationToken ct)
    {
        var options = JsonSerializer.Deserialize<DemoModelOptions>(job.Payload) ?? new DemoModelOptions();
        var progress = new Progress<double>(p => _ = jobs.ProgressAsync(job, p, "training the synthetic demo model"));
        var bundle = await Task.Run(() => DemoModel.Train(options, extractor, progress), ct);
        var folder = Path.Combine(tempDir, Guid.NewGuid().ToString("N"));
        string blob;
        try
        {
            bundle.Save(folder);
            blob = await blobs.PutFileAsync(Path.Combine(folder, Learning.Models.ModelBundle.ManifestName), ct);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
        var creator = await users.FindByIdAsync(job.CreatedBy) ?? throw new InvalidOperationException("the job's creator no longer exists");
        var name = $"SYNTHETIC demo model ({options.Cases} generated studies, seed {options.Seed})";
        // The model row is added in the job's completion transaction: a run interrupted before it adds nothing.
        await jobs.CompleteAsync(job, async (c, t) =>
        {
            var modelId = await models.AddAsync(c, t, name, blob, synthetic: true, creator);
            await using var set = Database.Command(c, "UPDATE jobs SET stage = @stage WHERE id = @id", new { stage = "model " + modelId, id = job.Id }, t);
            await set.ExecuteNonQueryAsync(ct);
            await Audit.RecordAsync(c, t, creator.Name, "model.demo-trained", "model " + modelId, name);
        });
    }
}
