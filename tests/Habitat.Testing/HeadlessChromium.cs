using System.Diagnostics;

namespace Habitat.Testing;

/// <summary>
/// Debian's chromium in headless mode, for checking that a generated page really renders. Fails (never skips)
/// when the browser is missing: .ci/run installs it. <c>HABITAT_CHROMIUM</c> overrides the path.
/// </summary>
public static class HeadlessChromium
{
    public static string Executable
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("HABITAT_CHROMIUM") ?? "/usr/bin/chromium";
            if (!File.Exists(path))
                throw new FileNotFoundException($"chromium not found at {path}: install Debian's chromium (.ci/run does: apt-get install -y chromium) or set HABITAT_CHROMIUM", path);
            return path;
        }
    }

    /// <summary>Renders a local HTML file to a PNG screenshot of the given window size.</summary>
    public static void Screenshot(string htmlPath, string pngPath, int width, int height) =>
        Run(htmlPath, $"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars");

    /// <summary>The document's DOM after the page has loaded and run its scripts.</summary>
    public static string DumpDom(string htmlPath) => Run(htmlPath, "--dump-dom");

    private static string Run(string htmlPath, params string[] extra)
    {
        using var profile = new TempDir();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No network at all: the flags keep chromium from reaching out (a closed network makes it stall otherwise).
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.Path}" })
            start.ArgumentList.Add(a);
        foreach (var a in extra) start.ArgumentList.Add(a);
        start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish rendering {htmlPath} within 90 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"chromium exited with {process.ExitCode} rendering {htmlPath}: {stderr.Result}");
        return stdout.Result;
    }
}
