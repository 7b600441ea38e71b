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
        var devicesOption = new Option<string>("--devices") { Description = "The rack file (devices.json).", Required = true };
        var scenarioOption = new Option<string?>("--scenario") { Description = "Only scenarios whose file or name matches this glob, e.g. incognito-*." };
        var browserOption = new Option<string?>("--browser") { Description = "Only this browser profile id (mint, mibrowser, miuibrowser)." };
        var outOption = new Option<string?>("--out") { Description = "Output folder (default results/run-<UTC time>)." };
        var settleOption = new Option<double?>("--settle") { Description = "Seconds to wait for telemetry after the steps (overrides profiles and scripts)." };
        var adbOption = new Option<string?>("--adb") { Description = "adb server as HOST:PORT (overrides devices.json)." };
        var scenariosOption = new Option<string>("--scenarios") { Description = "Folder of scenario scripts (profiles in its browsers/).", DefaultValueFactory = _ => "scenarios" };
        var progressOption = new Option<string>("--progress")
        {
            Description = "live: a bar per phone under the event lines; lines: event lines only; auto: live on a terminal, lines in logs and pipes.",
            DefaultValueFactory = _ => "auto",
        };
        progressOption.AcceptOnlyFromAmong("auto", "live", "lines");
        var proxyPortOption = new Option<int>("--proxy-port") { Description = "Loopback port of the first phone's proxy, the next phone's one higher; 0 = free ports." };
        var historyOption = new Option<string>("--history") { Description = "History database.", DefaultValueFactory = _ => HistoryStore.DefaultPath };
        var keyFolders = new KeyFolderOptions();
        var rackSettings = new RackSettingsCliOptions();
        var command = new Command("run", "Run the scenario matrix on the phones of a rack file and print a summary table.");
        foreach (var option in new Option[] { devicesOption, scenarioOption, browserOption, outOption, settleOption, adbOption, scenariosOption, historyOption, proxyPortOption, progressOption })
            command.Options.Add(option);
        keyFolders.AddTo(command);
        rackSettings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var started = DateTimeOffset.UtcNow;
            RackSelection selection;
            try
            {
                selection = RackSelection.Load(parse.GetValue(devicesOption)!, parse.GetValue(scenariosOption)!, parse.GetValue(scenarioOption),
                    parse.GetValue(browserOption), parse.GetValue(adbOption), rackSettings.Read(parse));
                if (parse.GetValue(settleOption) is < 0)
                    throw new BadInputException("must be zero or more seconds", field: "--settle");
                if (parse.GetValue(proxyPortOption) is < 0 or > 65535)
                    throw new BadInputException("a port from 1 to 65535, or 0 for free ports", field: "--proxy-port");
            }
            catch (BadInputException e)
            {
                await context.Error.WriteLineAsync(e.Describe());
                return (int)ExitCode.BadInput;
            }

            var output = Path.GetFullPath(parse.GetValue(outOption) ?? Path.Combine("results", $"run-{started:yyyyMMdd-HHmmss}"));
            var options = new RackRunOptions
            {
                OutputDirectory = output,
                AdbEndpoint = selection.AdbEndpoint,
                Serials = selection.Serials,
                Scenarios = selection.Scenarios,
                Profiles = selection.Profiles,
                ScenariosDirectory = selection.ScenariosDirectory,
                DevicesFile = selection.Rack.SourceFile,
                RunKind = HistoryRunKind.Run,
                HistoryDatabase = parse.GetValue(historyOption)!,
                CaDirectory = parse.GetValue(keyFolders.CaDirectory),
                SigningKeyDirectory = parse.GetValue(keyFolders.SigningDirectory),
                Settle = parse.GetValue(settleOption) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                ProxyBasePort = parse.GetValue(proxyPortOption),
                Settings = selection.Rack.Settings,
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
        await using (run)
        {
            display.Console.MarkupLine($"[bold]{Markup.Escape(executor)}[/] {Markup.Escape(run.Info.RunId)}: {options.Scenarios.Count} scenario(s), {options.Profiles.Count} browser profile(s), "
                                       + $"{options.Serials.Count} phone(s) via adb {Markup.Escape(options.AdbEndpoint)}");
            try
            {
                await display.RunAsync(() => run.RunAllAsync(ct));
            }
            catch (OperationCanceledException)
            {
                await run.FinishAsync(CancellationToken.None);
                await context.Error.WriteLineAsync("cancelled: phones restored; finished cases are in " + options.OutputDirectory);
                return ExitCode.Infrastructure;
            }
            var outcome = await run.FinishAsync(ct);
            display.Console.MarkupLine($"evidence: {Markup.Escape(outcome.Bundle.BundleDirectory)} (signed, key {Markup.Escape(outcome.Bundle.SigningKeyFingerprint)})");
        }
        return null;
    }
}
