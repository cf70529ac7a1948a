namespace Habitat.Server;

/// <summary>Service settings, validated at start. <see cref="ConnectionString"/> null = SQLite in <see cref="DataDir"/>.</summary>
public sealed record ServerOptions
{
    public string DataDir { get; init; } = "habitat-data";
    public string? ConnectionString { get; init; }
    public string Urls { get; init; } = "http://127.0.0.1:5080";
    /// <summary>Jobs run at once; 0 serves the API only (the queued jobs are run by another instance on the same database).</summary>
    public int MaxConcurrentJobs { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);
    public long MaxUploadBytes { get; init; } = 512L << 20;
    public int MaxZipEntries { get; init; } = 5000;
    public long MaxZipUncompressedBytes { get; init; } = 2L << 30;
    /// <summary>This many failed sign-ins in a row lock the account for <see cref="Lockout"/>.</summary>
    public int MaxFailedSignIns { get; init; } = 5;
    public TimeSpan Lockout { get; init; } = TimeSpan.FromMinutes(15);

    public void Validate()
    {
        if (MaxConcurrentJobs < 0) throw new ArgumentException("concurrent jobs: 0 (API only) or more");
        if (MaxUploadBytes < 1024 || MaxZipEntries < 1 || MaxZipUncompressedBytes < 1024) throw new ArgumentException("upload limits must be positive");
        if (MaxFailedSignIns < 1 || Lockout <= TimeSpan.Zero) throw new ArgumentException("the sign-in lockout needs at least one failure and a positive duration");
    }
}
