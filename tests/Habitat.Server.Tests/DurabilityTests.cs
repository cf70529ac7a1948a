using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Habitat.Server.Domain;
using Habitat.Server.Storage;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Server.Tests;

/// <summary>
/// The real <c>habitat serve</c> process killed (SIGKILL to the whole process tree, no graceful stop) while 10 analyses
/// are queued or running, then started again on the same data: every analysis completes exactly once and the database
/// passes the engine's integrity checks — on SQLite and on PostgreSQL. The analyses are queued through an API-only
/// instance (<c>--jobs 0</c>, killed as well) so that the working instance is killed right after its first claim.
/// </summary>
public sealed class DurabilityTests(ITestOutputHelper output)
{
    private const int Analyses = 10;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_killed_server_resumes_and_completes_every_analysis_exactly_once(string engine)
    {
        var clock = Stopwatch.StartNew();
        using var work = new TempDir();
        var dataDir = work.File("data");
        Directory.CreateDirectory(dataDir);
        var connection = engine == "postgres" ? await PostgresServer.NewDatabaseAsync() : null;
        var db = connection is null ? Database.SqliteIn(dataDir) : new Database(connection);
        await Schema.MigrateAsync(db);
        var users = new Users(db);
        var admin = await users.AddAsync("admin1", Roles.Admin, TestServerHost.Password);
        var (_, token) = await users.CreateTokenAsync(admin, "durability");
        var caseDir = SyntheticFiles.Write(work.Path, 2);
        var modelJson = Path.Combine(SyntheticFiles.DemoModelDir, "model.json");
        output.WriteLine($"{engine}: setup (study written, shared demo model ready) {clock.Elapsed.TotalSeconds:F1} s");

        string[] analysisIds, jobIds;
        int port = PostgresServer.FreePort();
        // An API-only instance (--jobs 0) takes the model, the study and the 10 analyses, which stay queued; it is killed too.
        await using (var apiOnly = await ServeProcess.StartAsync(dataDir, connection, port, jobs: 0))
        {
            var client = apiOnly.Client(token);
            var model = new MultipartFormDataContent { { new StringContent("durability model"), "name" } };
            SyntheticFiles.Add(model, "model", modelJson);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/models", model)).StatusCode);
            var study = await client.PostAsync("/api/studies", SyntheticFiles.Upload(caseDir, "PSN-DUR"));
            Assert.Equal(HttpStatusCode.Created, study.StatusCode);
            var studyId = (await study.JsonAsync()).GetProperty("id").GetString();
            var started = await Task.WhenAll(Enumerable.Range(0, Analyses).Select(_ => client.PostAsJsonAsync($"/api/studies/{studyId}/analyses", new { })));
            Assert.All(started, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
            var ids = await Task.WhenAll(started.Select(r => r.JsonAsync()));
            analysisIds = ids.Select(j => j.GetProperty("analysisId").GetString()!).ToArray();
            jobIds = ids.Select(j => j.GetProperty("jobId").GetString()!).ToArray();
            apiOnly.Kill();
        }
        Assert.All((await JobStatuses(db, jobIds)).Values, status => Assert.Equal(JobStatus.Queued, status));
        output.WriteLine($"{engine}: {Analyses} analyses queued {clock.Elapsed.TotalSeconds:F1} s");

        // A working instance is killed as soon as an analysis runs: that one is interrupted mid-way, the others wait in the queue.
        await using (var worker = ServeProcess.Start(dataDir, connection, port, jobs: 2))
        {
            var wait = Stopwatch.StartNew();
            while (!(await JobStatuses(db, jobIds)).ContainsValue(JobStatus.Running))
            {
                Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "no analysis started within 30 s:\n" + worker.Log);
                await Task.Delay(10);
            }
            worker.Kill();
            output.WriteLine($"{engine}: killed after {clock.Elapsed.TotalSeconds:F1} s");
        }
        var atKill = await JobStatuses(db, jobIds);
        var interrupted = atKill.Where(p => p.Value == JobStatus.Running).Select(p => p.Key).ToHashSet();
        output.WriteLine($"{engine}: at the kill " + string.Join(", ", atKill.Values.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}")));
        Assert.NotEmpty(interrupted);
        Assert.True(atKill.Values.Count(s => s == JobStatus.Done) < Analyses, "every analysis had finished before the kill: nothing was tested");

        var restart = Stopwatch.StartNew();
        await using (var second = await ServeProcess.StartAsync(dataDir, connection, port, jobs: 2))
        {
            var client = second.Client(token);
            foreach (var jobId in jobIds)
            {
                var job = await client.WaitForJobAsync(jobId, TimeSpan.FromSeconds(90) - restart.Elapsed);
                Assert.True(job.GetProperty("status").GetString() == JobStatus.Done, job + "\n" + second.Log);
            }
            output.WriteLine($"{engine}: all {Analyses} done {restart.Elapsed.TotalSeconds:F1} s after the restart");
            second.Kill(); // not graceful either: the finished database must be sound after a kill too
        }

        // Each job was completed exactly once: one completion, one job.done audit entry, one analysis row with results;
        // the interrupted ones ran twice, the rest once.
        var jobs = await db.QueryAsync("SELECT id, attempts, completions, error FROM jobs WHERE kind = 'analysis'", null,
            r => (Id: r.GetString(0), Attempts: Convert.ToInt32(r.GetValue(1)), Completions: Convert.ToInt32(r.GetValue(2)), Error: r.IsDBNull(3) ? null : r.GetString(3)));
        Assert.Equal(jobIds.Order(), jobs.Select(j => j.Id).Order());
        foreach (var job in jobs)
        {
            Assert.Equal(1, job.Completions);
            Assert.Null(job.Error);
            Assert.True(job.Attempts == (interrupted.Contains(job.Id) ? 2 : 1), $"job {job.Id} ran {job.Attempts} times (status at the kill: {atKill[job.Id]})");
        }
        var doneEntries = await db.QueryAsync("SELECT target FROM audit_log WHERE action = 'job.done'", null, r => r.GetString(0));
        Assert.Equal(jobIds.Select(id => "job " + id).Order(), doneEntries.Order());
        var results = await db.QueryAsync("SELECT id, job_id, probability, maps FROM analyses", null,
            r => (Id: r.GetString(0), Job: r.GetString(1), Probability: r.IsDBNull(2) ? double.NaN : Convert.ToDouble(r.GetValue(2)), Maps: r.IsDBNull(3) ? null : r.GetString(3)));
        Assert.Equal(analysisIds.Order(), results.Select(a => a.Id).Order());
        Assert.Equal(jobIds.Order(), results.Select(a => a.Job).Order());
        Assert.All(results, a => Assert.True(a.Probability is > 0 and < 1, $"analysis {a.Id}: probability {a.Probability}"));
        Assert.Single(results.Select(a => a.Probability).Distinct()); // the same study and model: the same answer, interrupted or not
        var blobs = new BlobStore(Path.Combine(dataDir, "blobs"));
        foreach (var a in results)
            foreach (var map in JsonDocument.Parse(a.Maps!).RootElement.EnumerateObject())
                Assert.True(blobs.Exists(map.Value.GetString()!), $"analysis {a.Id}: map {map.Name} is not stored");

        var integrity = await db.IntegrityCheckAsync();
        output.WriteLine($"{engine}: integrity checks: {string.Join("; ", integrity.Checks)}");
        Assert.Empty(integrity.Problems);
        if (engine == "postgres") Assert.Contains(integrity.Checks, c => c.StartsWith("amcheck bt_index_check", StringComparison.Ordinal));
        output.WriteLine($"{engine}: whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<Dictionary<string, string>> JobStatuses(Database db, string[] jobIds)
    {
        var all = await db.QueryAsync("SELECT id, status FROM jobs", null, r => (Id: r.GetString(0), Status: r.GetString(1)));
        return all.Where(j => jobIds.Contains(j.Id)).ToDictionary(j => j.Id, j => j.Status);
    }
}

/// <summary><c>dotnet habitat.dll serve</c> (the CLI built beside the tests) as a child process on 127.0.0.1.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    public Uri Address { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Starts the process and waits until it answers HTTP.</summary>
    public static async Task<ServeProcess> StartAsync(string dataDir, string? connectionString, int port, int jobs = 1)
    {
        var server = Start(dataDir, connectionString, port, jobs);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>Starts the process without waiting: its job worker may run before it listens.</summary>
    public static ServeProcess Start(string dataDir, string? connectionString, int port, int jobs)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "habitat.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing: the test project references Habitat.Cli, so building it copies the CLI here");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { cli, "serve", "--data", dataDir, "--urls", $"http://127.0.0.1:{port}", "--jobs", jobs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        if (connectionString is not null) { start.ArgumentList.Add("--db"); start.ArgumentList.Add(connectionString); }
        var process = Process.Start(start)!;
        var server = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => { lock (server._log) server._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._log) server._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public async Task WaitUntilListeningAsync()
    {
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) Assert.Fail($"habitat serve exited ({_process.ExitCode}):\n{Log}");
            try
            {
                if ((await probe.GetAsync("/api/openapi.json")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "habitat serve did not answer within 30 s:\n" + Log);
            await Task.Delay(100);
        }
    }

    public HttpClient Client(string token) => new()
    {
        BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>SIGKILL to the server and anything it started: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
