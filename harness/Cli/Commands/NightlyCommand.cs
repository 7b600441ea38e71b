using System.CommandLine;
using System.Globalization;
using Harness.Adb;
using Harness.Browsers;
using Harness.Core;
using Harness.Evidence.History;
using Harness.Evidence.Regression;
using Harness.Scenarios;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness nightly --devices devices.json --apks DIR`: installs every APK of DIR on every phone (`adb install -r`),
/// reads the installed versions back, runs the scenario matrix (recorded as a nightly in the history database), and
/// compares each case with the last run of the previous version of the same browser, scenario and mode. Writes
/// regression.md and regression.json, then the run's summary; exits 1 when a new leak appears, else 0 (4 when phones or installs fail).
/// The run itself is <see cref="RackRun"/>, as for `harness run` and the NUnit suite.
/// run.ps1 -Nightly uses the two halves separately around the NUnit suite: --install-only, then --report-run ID.
/// </summary>
public sealed class NightlyCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var shared = new RackRunCommandOptions("nightly", devicesRequired: false);
        var apksOption = new Option<string?>("--apks") { Description = "Folder of APKs; each is installed on every phone (adb install -r)." };
        var installOnlyOption = new Option<bool>("--install-only") { Description = "Install the APKs and print the installed versions; run nothing (run.ps1 then runs the NUnit suite)." };
        var reportRunOption = new Option<long?>("--report-run") { Description = "Only write the regression report of this history run id (run.ps1 passes the suite's run)." };
        var command = new Command("nightly", "Install new browser builds, run the matrix and report regressions against the previous versions.");
        shared.AddTo(command);
        foreach (var option in new Option[] { apksOption, installOnlyOption, reportRunOption })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var started = DateTimeOffset.UtcNow;
            var output = shared.OutputDirectory(parse, started);
            var historyPath = parse.GetValue(shared.History)!;
            if (parse.GetValue(reportRunOption) is { } reportRun)
                return (int)await WriteRegressionAsync(context, historyPath, reportRun, output, ct);

            var apks = parse.GetValue(apksOption) ?? throw new BadInputException("required (the folder of APKs to install)", field: "--apks");
            if (!Directory.Exists(apks)) throw new BadInputException("no such folder", apks, field: "--apks");
            var apkFiles = Directory.EnumerateFiles(apks, "*.apk").Order(StringComparer.Ordinal).ToList();
            if (apkFiles.Count == 0) throw new BadInputException("no *.apk in this folder", apks, field: "--apks");
            var selection = shared.LoadSelection(parse);
            // Every known browser's version is read back around the installs, not only the selected ones.
            var knownProfiles = BrowserProfileLoader.LoadDirectory(Path.Combine(selection.ScenariosDirectory, "browsers"));

            var installed = await InstallAsync(context, new AdbClient(AdbClientOptions.ForEndpoint(selection.AdbEndpoint)), selection.Serials, apkFiles, knownProfiles, ct);
            if (!installed) return (int)ExitCode.Infrastructure;
            if (parse.GetValue(installOnlyOption)) return (int)ExitCode.AllPass;

            var options = shared.RunOptions(parse, selection, HistoryRunKind.Nightly, output);
            if (await RunCommand.RunAsync(context, options, RackProgressDisplay.Create(context.Out, "lines"), "harness nightly", ct) is { } failed)
                return (int)failed;
            var runId = long.Parse(await File.ReadAllTextAsync(Path.Combine(output, RackRun.HistoryRunIdFileName), ct), CultureInfo.InvariantCulture);
            await WriteRegressionAsync(context, historyPath, runId, output, ct);
            return (int)await RunSummaryReport.WriteAsync(context, output, nightly: true, ct);
        });
        return command;
    }

    /// <summary>Installs every APK on every phone (phones in parallel) and prints the browser versions read back.</summary>
    private static async Task<bool> InstallAsync(CliContext context, AdbClient adb, IReadOnlyList<string> serials, IReadOnlyList<string> apkFiles,
        IReadOnlyList<BrowserProfile> profiles, CancellationToken ct)
    {
        var gate = new SemaphoreSlim(1, 1);
        async Task Say(string line)
        {
            await gate.WaitAsync(ct);
            try { await context.Out.WriteLineAsync(line); }
            finally { gate.Release(); }
        }

        var results = await Task.WhenAll(serials.Select(serial => Task.Run(async () =>
        {
            var ok = true;
            foreach (var apk in apkFiles)
            {
                var before = await VersionsAsync(adb, serial, profiles, ct);
                try
                {
                    await adb.InstallAsync(serial, apk, ct);
                }
                catch (Exception e) when (e is AdbException or IOException or TimeoutException)
                {
                    await Say($"{serial}\tinstall {Path.GetFileName(apk)} FAILED: {e.Message}");
                    ok = false;
                    continue;
                }
                var after = await VersionsAsync(adb, serial, profiles, ct);
                var changed = after.Where(kv => before.GetValueOrDefault(kv.Key) != kv.Value).ToList();
                var what = changed.Count == 0
                    ? "no browser package changed version (same version reinstalled, or not a browser the profiles know)"
                    : string.Join(", ", changed.Select(kv => $"{kv.Key} {before.GetValueOrDefault(kv.Key) ?? "(none)"} -> {kv.Value}"));
                await Say($"{serial}\tinstalled {Path.GetFileName(apk)}: {what}");
            }
            var final = await VersionsAsync(adb, serial, profiles, ct);
            await Say($"{serial}\tnow installed: {(final.Count == 0 ? "no known browser" : string.Join(", ", final.Select(kv => $"{kv.Key} {kv.Value}")))}");
            return ok;
        }, CancellationToken.None)));
        return results.All(ok => ok);
    }

    private static async Task<Dictionary<string, string>> VersionsAsync(AdbClient adb, string serial, IReadOnlyList<BrowserProfile> profiles, CancellationToken ct)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var package in profiles.Select(p => p.Package).Distinct(StringComparer.Ordinal))
            if (await adb.GetPackageVersionAsync(serial, package, ct) is { } version)
                versions[package] = $"{version.VersionName} ({version.VersionCode.ToString(CultureInfo.InvariantCulture)})";
        return versions;
    }

    private static async Task<ExitCode> WriteRegressionAsync(CliContext context, string historyPath, long runId, string output, CancellationToken ct)
    {
        if (!File.Exists(historyPath)) throw new BadInputException("no history database here", historyPath, field: "--history");
        await using var history = await HistoryStore.OpenAsync(historyPath, ct);
        if ((await history.ListRunsAsync(ct)).All(r => r.Id != runId))
            throw new BadInputException($"run {runId} is not in the history database", historyPath, field: "--report-run");
        var report = await new RegressionAnalyzer(history).CompareAsync(runId, ct);
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "regression.md"), report.ToMarkdown(), ct);
        await File.WriteAllTextAsync(Path.Combine(output, "regression.json"), report.ToJson(), ct);
        foreach (var change in Enum.GetValues<RegressionChange>())
            await context.Out.WriteLineAsync($"{change}: {report.Of(change).Count()}");
        foreach (var entry in report.Entries.Where(e => e.Change is RegressionChange.NewLeak or RegressionChange.FixedLeak or RegressionChange.NewlyInconclusive))
            await context.Out.WriteLineAsync($"{entry.Change}\t{entry.Current.Browser} {entry.Baseline?.BrowserVersion} -> {entry.Current.BrowserVersion}\t{entry.Current.Scenario}\t{entry.Current.Mode}"
                + (entry.NewFindings.Count > 0 ? "\tnew: " + string.Join(", ", entry.NewFindings) : "")
                + (entry.FixedFindings.Count > 0 ? "\tfixed: " + string.Join(", ", entry.FixedFindings) : ""));
        await context.Out.WriteLineAsync($"regression report: {Path.Combine(output, "regression.md")}");
        return report.ExitCode;
    }
}
