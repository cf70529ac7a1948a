using System.Globalization;

namespace Habitat.Cli;

/// <summary>A wrong command line: printed with the command's usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Parsed command-line arguments: positionals, <c>--name value</c> options (repeatable) and <c>--flag</c> switches.
/// Commands declare which flags take no value; every option must be consumed, so a typo is an error.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Positionals { get; }

    public CliArgs(IReadOnlyList<string> args, IReadOnlySet<string> flagNames)
    {
        var positionals = new List<string>();
        for (int n = 0; n < args.Count; n++)
        {
            var a = args[n];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a[2..];
                string? inlineValue = null;
                int eq = name.IndexOf('=');
                if (eq > 0) { inlineValue = name[(eq + 1)..]; name = name[..eq]; }
                if (flagNames.Contains(name) && inlineValue is null) { _flags.Add(name); continue; }
                var value = inlineValue ?? (n + 1 < args.Count ? args[++n] : throw new UsageException($"option --{name} needs a value"));
                if (!_options.TryGetValue(name, out var list)) _options[name] = list = [];
                list.Add(value);
            }
            else positionals.Add(a);
        }
        Positionals = positionals;
    }

    public bool Flag(string name) { _used.Add(name); return _flags.Contains(name); }

    public string? Option(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var list)) return null;
        if (list.Count > 1) throw new UsageException($"option --{name} given {list.Count} times");
        return list[0];
    }

    public IReadOnlyList<string> Options(string name) { _used.Add(name); return _options.TryGetValue(name, out var l) ? l : []; }

    public string Required(string name) => Option(name) ?? throw new UsageException($"missing required option --{name}");

    public int Int(string name, int fallback)
    {
        var s = Option(name);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--{name} must be an integer, got '{s}'");
    }

    public double Double(string name, double fallback)
    {
        var s = Option(name);
        if (s is null) return fallback;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--{name} must be a number, got '{s}'");
    }

    /// <summary>Throws for options and flags the command never asked about.</summary>
    public void EnsureAllUsed()
    {
        foreach (var name in _options.Keys.Concat(_flags))
            if (!_used.Contains(name)) throw new UsageException($"unknown option --{name}");
    }
}
