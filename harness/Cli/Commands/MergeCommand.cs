using System.CommandLine;
using Harness.Evidence.History;
using Harness.Scenarios;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness merge OUT1 OUT2 … -o MERGED`: the shards of one rack (`harness run --shard K/N`, run.ps1 -Shard, one per
/// rack host or CI job) as one run: one summary and exit code (the merged run's, by the same rules), one Allure results
/// folder, one run in the history, and a bundle index that `harness verify MERGED` checks shard by shard.
/// </summary>
public sealed class MergeCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var outputs = new Argument<string[]>("outputs") { Description = "The shards' output folders (each a run's --out).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("-o", "--out") { Description = "The merged run's folder (new or empty).", Required = true };
        var history = new Option<string>("--history") { Description = "History database the merged run is recorded in.", DefaultValueFactory = _ => HistoryStore.DefaultPath };
        var command = new Command("merge", "Merge the output folders of a rack's shards into one run: summary, exit code, Allure results, history and a bundle index.");
        command.Arguments.Add(outputs);
        command.Options.Add(output);
        command.Options.Add(history);
        command.SetAction(async (parse, ct) =>
        {
            var merged = Path.GetFullPath(parse.GetValue(output)!);
            await RunMerger.MergeAsync(parse.GetValue(outputs)!, merged, parse.GetValue(history)!, ct);
            return (int)await RunSummaryReport.WriteAsync(context, merged, nightly: false, ct);
        });
        return command;
    }
}
