using Habitat.Server;
using Habitat.Server.Domain;
using Habitat.Server.Storage;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat users add</c>: creates a user of the service; the password is prompted (or read from stdin).</summary>
public sealed class UsersCommand : ICommand
{
    public string Name => "users";
    public string Summary => "manage the service's users: habitat users add NAME --role admin|clinician|researcher";
    public string Usage => """
        usage: habitat users add NAME --role admin|clinician|researcher [--data DIR] [--db CONNECTION]
          The password is asked for without echo; when stdin is not a terminal, its first line is the password.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positionals is not ["add", var name]) throw new UsageException("expected: users add NAME --role ROLE");
        var role = args.Required("role");
        var options = ServeCommand.Options(args);
        args.EnsureAllUsed();
        if (!Roles.All.Contains(role)) throw new UsageException($"--role must be one of {string.Join(", ", Roles.All)}");
        var password = ReadPassword(stderr) ?? throw new UsageException("no password given");

        Directory.CreateDirectory(options.DataDir);
        var db = options.ConnectionString is null ? Database.SqliteIn(options.DataDir) : new Database(options.ConnectionString);
        Schema.MigrateAsync(db).GetAwaiter().GetResult();
        var user = new Users(db).AddAsync(name, role, password).GetAwaiter().GetResult();
        new Audit(db).RecordAsync("(command line)", "user.created", "user " + user.Name, "role " + user.Role).GetAwaiter().GetResult();
        stdout.WriteLine($"user {user.Name} ({user.Role}) created");
        return 0;
    }

    private static string? ReadPassword(TextWriter prompt)
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine();
        prompt.Write("password: ");
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (chars.Length > 0) chars.Length--; }
            else chars.Append(key.KeyChar);
        }
        prompt.WriteLine();
        return chars.ToString();
    }
}
