using System.Diagnostics;
using Habitat.Server.Domain;
using Habitat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Habitat.Server.Tests.Pages;

/// <summary>
/// The pages in a real browser: the server on 127.0.0.1 (Kestrel, temporary data folder), a demo model bundle and a
/// synthetic study on disk, then <c>web/e2e/e2e.mjs</c> (playwright-core driving Debian's chromium) signs in, installs
/// the model, uploads, analyses, checks viewer pixels, the probability against the API, the PDF, roles and sign-out,
/// and saves screenshots (into docs/screenshots/ only when HABITAT_UPDATE_SCREENSHOTS=1, so a test run leaves the
/// working tree clean). Fails (never skips) when node or chromium is missing.
/// </summary>
public sealed class BrowserEndToEndTests(ITestOutputHelper output)
{
    private const string Password = "e2e password 1";

    [Fact]
    public async Task ClinicianUploadsAnalysesAndReportsInTheBrowser()
    {
        var root = RepositoryRoot();
        var chromium = Environment.GetEnvironmentVariable("HABITAT_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"chromium not found at {chromium}: install Debian's chromium (.ci/run does: apt-get install -y chromium) or set HABITAT_CHROMIUM");
        var node = Which("node") ?? throw new InvalidOperationException("node not found on PATH: install Node.js (the pages' build needs npm too)");
        Assert.True(File.Exists(Path.Combine(root, "web", "node_modules", "playwright-core", "package.json")),
            "web/node_modules/playwright-core is missing: building src/Habitat.Server runs npm ci in web/");

        using var work = new TempDir();
        var studyDir = SyntheticFiles.Write(work.Path);
        var modelDir = SyntheticFiles.DemoModelDir;

        using var data = new TempDir();
        var app = await HabitatServer.CreateAsync(new ServerOptions { DataDir = data.Path, Urls = "http://127.0.0.1:0", MaxConcurrentJobs = 1 });
        await app.StartAsync();
        try
        {
            var users = app.Services.GetRequiredService<Users>();
            await users.AddAsync("admin1", Roles.Admin, Password);
            await users.AddAsync("clinician1", Roles.Clinician, Password);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("http://127.0.0.1:", url);
            var screenshots = Environment.GetEnvironmentVariable("HABITAT_UPDATE_SCREENSHOTS") == "1"
                ? Path.Combine(root, "docs", "screenshots") : Path.Combine(data.Path, "screenshots");
            Directory.CreateDirectory(screenshots);

            var start = new ProcessStartInfo(node, [Path.Combine(root, "web", "e2e", "e2e.mjs")])
            {
                WorkingDirectory = Path.Combine(root, "web"), RedirectStandardOutput = true, RedirectStandardError = true,
                Environment =
                {
                    ["HABITAT_URL"] = url, ["HABITAT_CHROMIUM"] = chromium, ["HABITAT_STUDY_DIR"] = studyDir,
                    ["HABITAT_MODEL_JSON"] = Path.Combine(modelDir, "model.json"), ["HABITAT_SCREENSHOTS"] = screenshots,
                    ["HABITAT_ADMIN"] = "admin1", ["HABITAT_CLINICIAN"] = "clinician1", ["HABITAT_PASSWORD"] = Password,
                },
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException("the browser test ran longer than 5 minutes:\n" + await stdout); }
            output.WriteLine(await stdout);
            output.WriteLine(await stderr);
            Assert.True(process.ExitCode == 0, $"browser end-to-end test failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
            Assert.Contains("PASSED", await stdout);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "web", "package.json"))) return dir.FullName;
        throw new DirectoryNotFoundException("web/package.json not found above " + AppContext.BaseDirectory);
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
