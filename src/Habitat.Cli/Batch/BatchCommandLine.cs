namespace Habitat.Cli.Batch;

/// <summary>The command-line side of a batch run, shared by every form of <c>habitat extract --manifest</c>:
/// <c>--jobs</c>, <c>--format</c>, Ctrl+C as cancellation, the summary line and the exit code.</summary>
internal static class BatchCommandLine
{
    public const string OptionsUsage = """
          --jobs N        cases extracted at once (default 1)
          --format F      csv, or parquet (the default when --out ends in .parquet)
        """;

    public static (int Jobs, BatchFormat Format) Options(CliArgs args, string outPath)
    {
        int jobs = args.Int("jobs", 1);
        if (jobs < 1) throw new UsageException($"--jobs must be at least 1, got {jobs}");
        var format = args.Option("format") ?? (outPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "csv");
        return (jobs, format switch
        {
            "csv" => BatchFormat.Csv,
            "parquet" => BatchFormat.Parquet,
            _ => throw new UsageException($"--format must be csv or parquet for a batch, got '{format}'"),
        });
    }

    /// <summary>Runs the plan; exit code 1 when a case failed or the run was cancelled.</summary>
    public static int Run(BatchPlan plan, int jobs, string noun, TextWriter stdout, TextWriter stderr)
    {
        bool interactive = stderr == Console.Error && !Console.IsErrorRedirected;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var summary = new BatchExtraction(jobs, stderr, interactive).Run(plan, cancel.Token);
            stdout.WriteLine($"{summary.Describe(noun)} → {plan.OutPath}" + (File.Exists(plan.ErrorsPath) ? $"; errors and missing values in {plan.ErrorsPath}" : ""));
            return summary.Failed > 0 || summary.Cancelled ? 1 : 0;
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
