using Habitat.Imaging;

namespace Habitat.Cli;

public static class Program
{
    /// <summary>Every sub-command; add new ones here.</summary>
    internal static readonly ICommand[] Commands =
    [
        new Commands.ValidateCommand(),
        new Commands.TrainCommand(),
        new Commands.PredictCommand(),
        new Commands.InfoCommand(),
        new Commands.ConvertCommand(),
        new Commands.ExtractCommand(),
        new Commands.NyulTrainCommand(),
        new Commands.IbsiReportCommand(),
        new Commands.MapCommand(),
        new Commands.SynthCommand(),
        new Commands.DemoCommand(),
        new Commands.FilterCommand(),
        new Commands.ServeCommand(),
        new Commands.UsersCommand(),
    ];

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs a command line; the exit code is 0 on success, 1 on a failed job, 2 on a usage error.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool verbose = args.Contains("--verbose");
        args = args.Where(a => a != "--verbose").ToArray();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(stdout);
            return args.Length == 0 ? 2 : 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            stderr.WriteLine($"habitat: unknown command '{args[0]}'");
            PrintHelp(stderr);
            return 2;
        }
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(command.Usage);
            return 0;
        }
        try
        {
            var parsed = new CliArgs(args[1..], command.Flags);
            return command.Run(parsed, stdout, stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"habitat {command.Name}: {e.Message}");
            stderr.WriteLine(command.Usage);
            return 2;
        }
        catch (Exception e) when (e is ImageFormatException or GeometryMismatchException or IOException or UnauthorizedAccessException
                                  or InvalidDataException or ArgumentException or FormatException or InvalidOperationException)
        {
            stderr.WriteLine($"habitat {command.Name}: error: {e.Message}");
            if (verbose) stderr.WriteLine(e);
            return 1;
        }
    }

    private static void PrintHelp(TextWriter w)
    {
        w.WriteLine("habitat — radiomics of the post-treatment brain lesion habitat");
        w.WriteLine("usage: habitat <command> [options]   (habitat <command> --help for details; --verbose shows stack traces)");
        foreach (var c in Commands) w.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}
