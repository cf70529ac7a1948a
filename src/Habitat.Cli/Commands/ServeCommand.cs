using Habitat.Server;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat serve</c>: the analysis service (API under /api).</summary>
public sealed class ServeCommand : ICommand
{
    public string Name => "serve";
    public string Summary => "run the analysis service: studies, analyses, models, users, audit (REST API under /api)";
    public string Usage => """
        usage: habitat serve [--data DIR] [--urls http://127.0.0.1:5080] [options]
          --data DIR          database and stored files (default ./habitat-data)
          --urls URLS         where to listen (default http://127.0.0.1:5080: this machine only)
          --db CONNECTION     PostgreSQL connection string (Host=…;Database=…;Username=…) instead of SQLite in --data
          --jobs N            analyses run at once (default: half the cores; 0 = API only, jobs run by another
                              instance on the same database)
        Create users first: habitat users add NAME --role admin|clinician|researcher [--data DIR]
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var options = Options(args) with { Urls = args.Option("urls") ?? "http://127.0.0.1:5080" };
        int jobs = args.Int("jobs", options.MaxConcurrentJobs);
        args.EnsureAllUsed();
        if (jobs < 0) throw new UsageException("--jobs must be 0 (API only) or more");
        HabitatServer.RunAsync(options with { MaxConcurrentJobs = jobs }, stdout).GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>--data and --db, shared with <c>habitat users</c>.</summary>
    internal static ServerOptions Options(CliArgs args) => new() { DataDir = args.Option("data") ?? "habitat-data", ConnectionString = args.Option("db") };
}
