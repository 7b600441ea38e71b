using System.CommandLine;

namespace Harness.Cli;

/// <summary>
/// One top-level `harness` command. Program discovers every implementation, so adding a command
/// is adding a file under Commands/ and nothing else.
/// </summary>
public interface ICliCommand
{
    Command Build(CliContext context);
}
