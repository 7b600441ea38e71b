using System.CommandLine;
using Harness.Adb;
using Harness.Core;
using Harness.Evidence.History;
using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness run --devices devices.json`: the scenario matrix on a rack without NUnit, an adapter over
/// <see cref="RackRun"/> with live progress, then the run's summary (the table of `harness summary`) and its exit code:
/// 0 all pass, 1 leak, 2 inconclusive, 3 bad input, 4 infrastructure. Writes the signed evidence bundle, Allure
/// results and suite-results.jsonl, and records the run in the history database.
/// </summary>
public sealed class RunCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var shared = new RackRunCommandOptions("run", devicesRequired: true);
        var progressOption = new Option<string>("--progress")
        {
            Description = "live: a bar per phone under the event lines; lines: event lines only; auto: live on a terminal, lines in logs and pipes.",
            DefaultValueFactory = _ => "auto",
        };
        progressOption.AcceptOnlyFromAmong("auto", "live", "lines");
        var proxyPortOption = new Option<int>("--proxy-port") { Description = "Loopback port of the first phone's proxy, the next phone's one higher; 0 = free ports." };
        var command = new Command("run", "Run the scenario matrix on the phones of a rack file and print a summary table.");
        shared.AddTo(command);
        command.Options.Add(proxyPortOption);
        command.Options.Add(progressOption);
        command.SetAction(async (parse, ct) =>
        {
            var started = DateTimeOffset.UtcNow;
            RackSelection selection;
            try
            {
                selection = shared.LoadSelection(parse);
                if (parse.GetValue(proxyPortOption) is < 0 or > 65535)
                    throw new BadInputException("a port from 1 to 65535, or 0 for free ports", field: "--proxy-port");
            }
            catch (BadInputException e)
            {
                await context.Error.WriteLineAsync(e.Describe());
                return (int)ExitCode.BadInput;
            }
            var options = shared.RunOptions(parse, selection, HistoryRunKind.Run, shared.OutputDirectory(parse, started)) with
            {
                ProxyBasePort = parse.GetValue(proxyPortOption),
            };
            var display = RackProgressDisplay.Create(context.Out, parse.GetValue(progressOption)!);
            return (int)(await RunAsync(context, options, display, "harness run", ct)
                         ?? await RunSummaryReport.WriteAsync(context, options.OutputDirectory, nightly: false, ct));
        });
        return command;
    }

    /// <summary>
    /// The matrix through <see cref="RackRun"/> with the console, Allure and suite-results.jsonl sinks; the
    /// caller prints the summary of the output folder (a day's or a night's). Returns null when the run finished, else
    /// the exit code of why it did not (adb unreachable, cancelled).
    /// </summary>
    internal static async Task<ExitCode?> RunAsync(CliContext context, RackRunOptions options, RackProgressDisplay display, string executor, CancellationToken ct)
    {
        RackRun run;
        try
        {
            run = await RackRun.StartAsync(options, [new SuiteResultsSink(), new AllureResultsSink(executor), display], ct);
        }
        catch (Exception e) when (e is AdbException or TimeoutException or IOException)
        {
            await context.Error.WriteLineAsync($"adb server {options.AdbEndpoint} unreachable: {e.Message}");
            return ExitCode.Infrastructure;
        }
        catch (StfException e)
        {
            await context.Error.WriteLineAsync($"phone farm: {e.Message}");
            return ExitCode.Infrastructure;
        }
        await using (run)
        {
            options = run.Options;
            foreach (var note in run.ProviderNotes) display.Console.MarkupLine(Markup.Escape(note));
            display.Console.MarkupLine($"[bold]{Markup.Escape(executor)}[/] {Markup.Escape(run.Info.RunId)}: {options.Scenarios.Count} scenario(s), {options.Profiles.Count} browser profile(s), "
                                       + $"{options.Serials.Count} phone(s) via adb {Markup.Escape(options.AdbEndpoint)}");
            try
            {
                await display.RunAsync(() => run.RunAllAsync(ct));
            }
            catch (OperationCanceledException)
            {
                await run.FinishAsync(CancellationToken.None);
                await run.DisposeAsync();
                await ReportReleaseAsync(context, run);
                await context.Error.WriteLineAsync("cancelled: phones restored" + (options.Stf is null ? "" : " and released") + "; finished cases are in " + options.OutputDirectory);
                return ExitCode.Infrastructure;
            }
            var outcome = await run.FinishAsync(ct);
            display.Console.MarkupLine($"evidence: {Markup.Escape(outcome.Bundle.BundleDirectory)} (signed, key {Markup.Escape(outcome.Bundle.SigningKeyFingerprint)})");
        }
        await ReportReleaseAsync(context, run);
        return null;
    }

    /// <summary>
    /// Rented phones that could not be given back are named (the farm keeps them until an admin frees them, or the next
    /// run against it releases them from their markers); the run's verdicts stand.
    /// </summary>
    private static async Task ReportReleaseAsync(CliContext context, RackRun run)
    {
        foreach (var problem in run.ReleaseProblems) await context.Error.WriteLineAsync(problem);
    }
}
