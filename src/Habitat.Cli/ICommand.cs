namespace Habitat.Cli;

/// <summary>One <c>habitat</c> sub-command. Each lives in its own file under Commands/.</summary>
public interface ICommand
{
    string Name { get; }
    /// <summary>One line for the command list.</summary>
    string Summary { get; }
    /// <summary>Full usage text.</summary>
    string Usage { get; }
    /// <summary>Names of the options that take no value.</summary>
    IReadOnlySet<string> Flags { get; }
    int Run(CliArgs args, TextWriter stdout, TextWriter stderr);
}
