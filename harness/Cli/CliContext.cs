using System.CommandLine;

namespace Harness.Cli;

/// <summary>What every command shares: the global options and where output goes.</summary>
public sealed class CliContext
{
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print stack traces and debug detail.", Recursive = true };

    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
}
