namespace Habitat.Testing;

/// <summary>
/// Locates the shared public reference sets (<c>../shared/reference</c> relative to the repository root).
/// Fails loudly when they are absent: reference tests are never skipped silently.
/// </summary>
public static class ReferenceData
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>Absolute path of <c>shared/reference</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Absolute path of a file or folder inside the reference root; throws when it does not exist.</summary>
    public static string Path(params string[] parts)
    {
        var path = System.IO.Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"reference item '{System.IO.Path.Combine(parts)}' is missing from {Root}", path);
        return path;
    }

    /// <summary>The repository root: the nearest ancestor of the test binaries holding Habitat.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Habitat.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"cannot find the repository root (Habitat.sln) above {AppContext.BaseDirectory}");
    }

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("HABITAT_REFERENCE");
        var candidate = !string.IsNullOrEmpty(env)
            ? env
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared", "reference"));
        if (!Directory.Exists(candidate))
            throw new DirectoryNotFoundException(
                $"The shared reference data folder was not found at '{candidate}'. " +
                "Reference tests need ../shared/reference beside the repository (or HABITAT_REFERENCE set to its path).");
        return candidate;
    }
}
