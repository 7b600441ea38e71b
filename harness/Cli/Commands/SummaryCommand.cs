using System.CommandLine;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness summary OUT [--nightly]`: the summary table of a run's output folder (browser × scenario × mode, the worst
/// verdict across phones, why) from its suite-results.jsonl, written to OUT/summary.txt too, and the run's exit code:
/// 0 all pass, 1 leak, 2 inconclusive, 4 a phone could not run or the run did not finish. With --nightly, the night's
/// code from OUT/regression.json: 1 only on a new leak, 4 on infrastructure, else 0. run.ps1 ends with it.
/// </summary>
public sealed class SummaryCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var outArgument = new Argument<string>("OUT") { Description = "A run's output folder (run.ps1 -Out, harness run --out, harness nightly --out)." };
        var nightlyOption = new Option<bool>("--nightly") { Description = "Exit as a night: 1 only on a new leak (OUT/regression.json), 4 on infrastructure, else 0." };
        var command = new Command("summary", "Print the summary table of a run's output folder and exit with the run's code.");
        command.Arguments.Add(outArgument);
        command.Options.Add(nightlyOption);
        command.SetAction(async (parse, ct) =>
            (int)await RunSummaryReport.WriteAsync(context, Path.GetFullPath(parse.GetValue(outArgument)!), parse.GetValue(nightlyOption), ct));
        return command;
    }
}
