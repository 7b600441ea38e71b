using System.CommandLine;
using Harness.Core;
using Harness.Flows;
using Harness.Proxy.Capture;

namespace Harness.Cli.Commands;

/// <summary>`harness har`: export a flow store as HAR 1.2.</summary>
public sealed class HarCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Flow store directory (holds flows.jsonl).", Required = true };
        var output = new Option<string>("-o", "--output") { Description = "HAR file to write.", Required = true };
        var command = new Command("har", "Export a flow store as HAR 1.2.");
        command.Options.Add(store);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(store)!;
            var file = Path.Combine(dir, FlowStore.FileName);
            if (!File.Exists(file)) throw new BadInputException($"no {FlowStore.FileName} here: is this a flow store?", dir, field: "--store");
            var flows = FlowStore.ReadDirectory(dir);
            var path = parse.GetValue(output)!;
            HarWriter.WriteFile(flows, path);
            context.Out.WriteLine($"wrote {flows.Count} entries to {path}");
            return (int)ExitCode.AllPass;
        });
        return command;
    }
}
