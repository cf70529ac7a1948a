using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Habitat.Server;
using Habitat.Server.Domain;
using Habitat.Server.Storage;
using Habitat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Habitat.Server.Tests;

/// <summary>The storage engines every server test runs against.</summary>
public static class Engines
{
    /// <summary>Both engines, always: without PostgreSQL installed the PostgreSQL cases fail with how to install it.</summary>
    public static TheoryData<string> All => new() { "sqlite", "postgres" };
}

/// <summary>A server on a TestServer with its own data folder (and its own PostgreSQL database when asked for), plus users of each role.</summary>
public sealed class TestServerHost : IAsyncDisposable
{
    public TempDir Data { get; } = new();
    public WebApplication App { get; private set; } = null!;
    public ServerOptions Options { get; private set; } = null!;
    public Database Db => App.Services.GetRequiredService<Database>();
    public const string Password = "correct horse battery";

    public static async Task<TestServerHost> StartAsync(string engine, Func<ServerOptions, ServerOptions>? tweak = null)
    {
        var host = new TestServerHost();
        var options = new ServerOptions { DataDir = host.Data.Path, ConnectionString = engine == "postgres" ? await PostgresServer.NewDatabaseAsync() : null, MaxConcurrentJobs = 1 };
        host.Options = tweak?.Invoke(options) ?? options;
        host.App = await HabitatServer.CreateAsync(host.Options, b => b.WebHost.UseTestServer());
        await host.App.StartAsync();
        var users = host.App.Services.GetRequiredService<Users>();
        foreach (var role in Roles.All) await users.AddAsync(role + "1", role, Password);
        return host;
    }

    public HttpClient Anonymous() => App.GetTestClient();

    /// <summary>A client carrying a fresh API token of the user <c>{role}1</c>.</summary>
    public async Task<HttpClient> AsRoleAsync(string role)
    {
        var users = App.Services.GetRequiredService<Users>();
        var (_, secret) = await users.CreateTokenAsync((await users.FindAsync(role + "1"))!, "test");
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Data.Dispose();
    }
}

/// <summary>
/// A throw-away PostgreSQL cluster from Debian's postgresql package (initdb + pg_ctl on 127.0.0.1, a free port,
/// run as the 'postgres' user when the tests run as root), started once per test run; each test gets a new database.
/// Without the package the tests that need it fail (never skip) with a message saying how to install it.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string?> BinDir = new(() =>
        Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderDescending().FirstOrDefault() : null);
    private static readonly SemaphoreSlim Gate = new(1);
    private static string? _adminConnection;

    public static async Task<string> NewDatabaseAsync()
    {
        await Gate.WaitAsync();
        try { _adminConnection ??= Start(); }
        finally { Gate.Release(); }
        var name = "habitat_" + Guid.NewGuid().ToString("N")[..12];
        await using (var c = new NpgsqlConnection(_adminConnection))
        {
            await c.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_adminConnection) { Database = name }.ToString();
    }

    private static string Start()
    {
        if (BinDir.Value is null)
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): the server tests run on SQLite "
                + "and PostgreSQL; install Debian's postgresql package (apt-get install postgresql), as .ci/run does");
        var dir = Path.Combine(Path.GetTempPath(), "habitat-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        bool root = Environment.UserName == "root";
        if (root) Run("chown", $"postgres {dir}", null);
        int port = FreePort();
        Run(Path.Combine(BinDir.Value!, "initdb"), $"-D {dir}/data -A trust -U habitat --no-sync -E UTF8", root);
        Run(Path.Combine(BinDir.Value!, "pg_ctl"),
            $"-D {dir}/data -l {dir}/log -w -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start", root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Run(Path.Combine(BinDir.Value!, "pg_ctl"), $"-D {dir}/data -m immediate stop", root); Directory.Delete(dir, true); } catch (Exception) { }
        };
        return $"Host=127.0.0.1;Port={port};Username=habitat;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    private static void Run(string file, string arguments, bool? asPostgres)
    {
        var psi = asPostgres == true
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({p.ExitCode}): {error} {output.Result}");
    }

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

public static class HttpExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    public static async Task<JsonElement> WaitForJobAsync(this HttpClient client, string jobId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/jobs/{jobId}")).JsonAsync();
            var status = job.GetProperty("status").GetString();
            if (status is "done" or "failed") return job;
            if (clock.Elapsed > timeout) throw new TimeoutException($"job {jobId} still {status} after {timeout}");
            await Task.Delay(100);
        }
    }
}
