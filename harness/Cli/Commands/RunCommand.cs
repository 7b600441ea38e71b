using System.CommandLine;
using System.Reflection;
using Harness.Adb;
using Harness.Browsers;
using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;
using Harness.Evidence.Signing;
using Harness.Proxy.Certificates;
using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness run --devices devices.json`: the scenario matrix on a rack without NUnit, with live progress, a summary
/// table (browser × scenario × mode) and the exit codes of design.md: 0 all pass, 1 leak, 2 inconclusive, 3 bad
/// input, 4 infrastructure. Writes a signed evidence bundle and records the run in the history database.
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
        var command = new Command("run", "Run the scenario matrix on the phones of a rack file and print a summary table.");
        foreach (var option in new Option[] { devicesOption, scenarioOption, browserOption, outOption, settleOption, adbOption, scenariosOption, historyOption, proxyPortOption, progressOption })
            command.Options.Add(option);
        keyFolders.AddTo(command);
        command.SetAction(async (parseResult, ct) =>
        {
            var progressMode = parseResult.GetValue(progressOption);
            var toTerminal = !Console.IsOutputRedirected && ReferenceEquals(context.Out, Console.Out);
            var live = progressMode == "live" || (progressMode == "auto" && toTerminal);
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(context.Out),
                // Asked for live bars in a pipe (a test, `script`): draw them there too.
                Interactive = live ? InteractionSupport.Yes : InteractionSupport.Detect,
                Ansi = live ? AnsiSupport.Yes : AnsiSupport.Detect,
            });
            // Redirected output (CI logs, run.ps1) has no terminal width; 80 columns would wrap every mode name.
            if (!toTerminal) console.Profile.Width = Math.Max(console.Profile.Width, 160);
            var started = DateTimeOffset.UtcNow;
            RackFile rack;
            IReadOnlyList<BrowserProfile> profiles;
            IReadOnlyList<ScenarioScript> scenarios;
            AdbClientOptions adbOptions;
            var scenariosDirectory = parseResult.GetValue(scenariosOption)!;
            try
            {
                rack = RackFile.Load(parseResult.GetValue(devicesOption)!);
                profiles = BrowserProfileLoader.LoadDirectory(Path.Combine(scenariosDirectory, "browsers"));
                if (parseResult.GetValue(browserOption) is { } browser)
                {
                    profiles = profiles.Where(p => p.Id == browser || p.Package == browser).ToList();
                    if (profiles.Count == 0)
                        throw new BadInputException($"no browser profile \"{browser}\" in {Path.Combine(scenariosDirectory, "browsers")}", field: "--browser");
                }
                var glob = parseResult.GetValue(scenarioOption);
                scenarios = ScenarioLoader.LoadDirectory(scenariosDirectory, glob, BrowserProfileLoader.LoadDirectory(Path.Combine(scenariosDirectory, "browsers")).Select(p => p.Id).ToList());
                if (scenarios.Count == 0)
                    throw new BadInputException($"no scenario in {scenariosDirectory} matches \"{glob}\"", field: "--scenario");
                if (parseResult.GetValue(settleOption) is { } settle && settle < 0)
                    throw new BadInputException("must be zero or more seconds", field: "--settle");
                if (parseResult.GetValue(proxyPortOption) is < 0 or > 65535)
                    throw new BadInputException("a port from 1 to 65535, or 0 for free ports", field: "--proxy-port");
                adbOptions = AdbClientOptions.ForEndpoint(parseResult.GetValue(adbOption) ?? rack.AdbEndpoint);
            }
            catch (BadInputException e)
            {
                await context.Error.WriteLineAsync(e.Describe());
                return (int)ExitCode.BadInput;
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"--adb: {e.Message}");
                return (int)ExitCode.BadInput;
            }

            var output = Path.GetFullPath(parseResult.GetValue(outOption) ?? Path.Combine("results", $"run-{started:yyyyMMdd-HHmmss}"));
            var runId = $"run-{started:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..6]}";
            var version = Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var adb = new AdbClient(adbOptions);
            try
            {
                await adb.GetAdbVersionAsync(ct);
            }
            catch (Exception e) when (e is AdbException or TimeoutException or IOException)
            {
                await context.Error.WriteLineAsync($"adb server {adb.Endpoint} unreachable: {e.Message}");
                return (int)ExitCode.Infrastructure;
            }

            using var ca = keyFolders.LoadCertificateAuthority(parseResult);
            var bundle = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions { BundleDirectory = Path.Combine(output, "bundle"), RunId = runId, HarnessVersion = version }, ct);
            foreach (var scenario in scenarios) await bundle.AddScenarioScriptAsync(scenario.SourceFile, ct);
            foreach (var profile in profiles) await bundle.AddBrowserProfileAsync(profile.SourceFile, ct);
            await bundle.AddProxyCaCertificateAsync(Path.Combine(ca.Directory, CertificateAuthority.CertificateFileName), ct);
            await using var history = await HistoryStore.OpenAsync(parseResult.GetValue(historyOption)!, ct);
            var historyRun = await history.StartRunAsync(started, "run", version, ct);

            var runner = new RackRunner(new RackRunnerOptions
            {
                CertificateAuthority = ca,
                FlowsDirectory = Path.Combine(output, "flows"),
                SessionsDirectory = Path.Combine("results", ".sessions"),
                ProxyBasePort = parseResult.GetValue(proxyPortOption),
                SettingsProfilePath = Path.Combine(scenariosDirectory, "system", "android-settings.yaml"),
                Run = new ScenarioRunOptions
                {
                    SettleTime = parseResult.GetValue(settleOption) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                    WorkDirectory = Path.Combine(output, ".staging"),
                    Evidence = bundle,
                    History = history,
                    HistoryRunId = historyRun,
                },
            });
            console.MarkupLine($"[bold]harness run[/] {Markup.Escape(runId)}: {scenarios.Count} scenario(s), {profiles.Count} browser profile(s), {rack.Devices.Count} phone(s) via adb {Markup.Escape(adb.Endpoint)}");

            RackRunResult result;
            try
            {
                result = await new RackProgressDisplay(console, live).RunAsync(runner,
                    token => runner.RunAsync(adb, rack.Devices.Select(d => d.Serial).ToList(), scenarios, profiles, token), ct);
            }
            catch (OperationCanceledException)
            {
                await history.EndRunAsync(historyRun, DateTimeOffset.UtcNow, CancellationToken.None);
                await context.Error.WriteLineAsync("cancelled: phones restored; finished cases are in " + output);
                return (int)ExitCode.Infrastructure;
            }
            await history.EndRunAsync(historyRun, DateTimeOffset.UtcNow, ct);
            using var key = await keyFolders.SigningKeys(parseResult).LoadOrCreateAsync(ct);
            var sealedBundle = await bundle.SealAsync(key, ct);

            foreach (var recovered in result.Recovered)
                console.MarkupLine($"[yellow]recovered[/] {Markup.Escape(recovered.Serial)}: {Markup.Escape(recovered.Detail)}");
            console.Write(SummaryTable(result));
            foreach (var (serial, failure) in result.DeviceFailures)
                console.MarkupLine($"[red]phone {Markup.Escape(serial)} could not run:[/] {Markup.Escape(failure)}");
            console.MarkupLine($"evidence: {Markup.Escape(sealedBundle.BundleDirectory)} (signed, key {Markup.Escape(sealedBundle.SigningKeyFingerprint)})");
            var exit = result.ExitCode;
            console.MarkupLine($"exit {(int)exit} ({exit})");
            return (int)exit;
        });
        return command;
    }

    private static Table SummaryTable(RackRunResult result)
    {
        var table = new Table().Title("summary").AddColumns("browser", "scenario", "mode", "device", "verdict");
        foreach (var r in result.Results.OrderBy(r => r.Case.Browser.Id).ThenBy(r => r.BrowserVersion).ThenBy(r => r.Case.Scenario.Name).ThenBy(r => r.Case.Mode.Name).ThenBy(r => r.Case.Serial))
        {
            table.AddRow(
                Markup.Escape($"{r.Case.Browser.Id} {r.BrowserVersion}"),
                Markup.Escape(r.Case.Scenario.Name),
                Markup.Escape(r.Case.Mode.Name),
                Markup.Escape(r.DeviceModel ?? r.Case.Serial),
                RackProgressDisplay.VerdictMarkup(r.Verdict));
        }
        return table;
    }
}
