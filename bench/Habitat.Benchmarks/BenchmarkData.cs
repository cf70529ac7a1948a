namespace Habitat.Benchmarks;

/// <summary>Finds the shared reference data (../shared/reference beside the repository, or HABITAT_REFERENCE).</summary>
internal static class BenchmarkData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Reference(params string[] parts)
    {
        var env = Environment.GetEnvironmentVariable("HABITAT_REFERENCE");
        var root = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference"));
        var path = Path.Combine([root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"benchmark input '{Path.Combine(parts)}' is missing from {root}", path);
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Habitat.sln"))) return dir.FullName;
        throw new InvalidOperationException($"cannot find the repository root (Habitat.sln) above {AppContext.BaseDirectory}");
    }
}
