using System.CommandLine;
using System.Reflection;

namespace Harness.Cli.Commands;

/// <summary>`harness version`: what evidence bundles record as the harness version.</summary>
public sealed class VersionCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var command = new Command("version", "Print the harness version.");
        command.SetAction(_ =>
        {
            var version = Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            context.Out.WriteLine(version);
            return 0;
        });
        return command;
    }
}
