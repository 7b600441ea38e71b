using System.CommandLine;
using System.Text.Json;
using Harness.Adb;
using Harness.Adb.Diagnostics;
using Harness.Core;
using Harness.Proxy.Certificates;
using Harness.Scenarios;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness doctor SERIAL`: what a QA engineer checks before a run, each problem with its fix.
/// Exit 0 when clean, 2 when problems are found, 4 when the phone or the adb server cannot be reached.
/// </summary>
public sealed class DoctorCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var serialArgument = new Argument<string>("serial") { Description = "Serial of the phone (as `harness devices` prints it)." };
        var adbOption = new Option<string?>("--adb") { Description = "adb server as HOST:PORT (default 127.0.0.1:5037)." };
        var jsonOption = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var caDirOption = new Option<string?>("--ca-dir") { Description = "Our CA directory, to warn when the phone still trusts it (default ~/.harness/ca)." };
        var command = new Command("doctor", "Check one phone before a run: model, Android, root, browsers, input injection, screen lock, proxy, reverse forwards, storage.");
        command.Arguments.Add(serialArgument);
        command.Options.Add(adbOption);
        command.Options.Add(jsonOption);
        command.Options.Add(caDirOption);
        command.SetAction(async (parseResult, ct) =>
        {
            var serial = parseResult.GetValue(serialArgument)!;
            AdbClientOptions options;
            try
            {
                options = AdbClientOptions.ForEndpoint(parseResult.GetValue(adbOption));
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"--adb: {e.Message}");
                return (int)ExitCode.BadInput;
            }
            var client = new AdbClient(new AdbClientOptions { Host = options.Host, Port = options.Port, MaxRetryAttempts = 1 });
            DeviceFacts facts;
            try
            {
                facts = await DeviceDoctor.GatherAsync(client, serial, ct);
            }
            catch (Exception e) when (e is AdbException or TimeoutException)
            {
                await context.Error.WriteLineAsync($"{serial}: unreachable: {e.Message}");
                return (int)ExitCode.Infrastructure;
            }
            var problems = DoctorRules.FindProblems(facts);
            var unreachable = facts.State != DeviceState.Device;
            if (!unreachable)
            {
                try
                {
                    problems = [.. problems, .. await CaTrustProblemsAsync(client, serial, parseResult.GetValue(caDirOption), facts.Rooted, ct)];
                }
                catch (Exception e) when (e is AdbException or TimeoutException)
                {
                    await context.Error.WriteLineAsync($"{serial}: could not check the trust stores: {e.Message}");
                    return (int)ExitCode.Infrastructure;
                }
            }

            if (parseResult.GetValue(jsonOption))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(new { facts, problems }, JsonOptions));
            }
            else
            {
                var o = context.Out;
                await o.WriteLineAsync($"device        {facts.Serial} ({facts.State.ToString().ToLowerInvariant()})");
                if (!unreachable)
                {
                    await o.WriteLineAsync($"model         {facts.Manufacturer} {facts.Model}");
                    await o.WriteLineAsync($"android       {facts.AndroidRelease} (SDK {facts.Sdk})");
                    await o.WriteLineAsync($"rooted        {(facts.Rooted ? "yes (su gives uid 0)" : facts.SuBinaryPresent ? "su present, but `su -c id` is not root" : "no")}");
                    foreach (var browser in facts.Browsers)
                        await o.WriteLineAsync($"browser       {browser.PackageName}: {(browser.Installed ? $"{browser.VersionName} ({browser.VersionCode})" : "not installed")}");
                    await o.WriteLineAsync($"http_proxy    {facts.HttpProxy ?? "null"}");
                    await o.WriteLineAsync($"reverse       {(facts.ReverseForwards.Count == 0 ? "none" : string.Join(", ", facts.ReverseForwards.Select(r => $"{r.Local} -> {r.Remote}")))}");
                    await o.WriteLineAsync($"input         {(facts.InputInjectionDenied ? "refused (INJECT_EVENTS)" : "allowed")}");
                    await o.WriteLineAsync($"screen        {(facts.ScreenLocked ? "locked" : "awake and unlocked")}");
                    await o.WriteLineAsync($"free /data    {(facts.DataFreeBytes is { } free ? $"{free / (1024 * 1024)} MiB" : "unknown")}");
                }
                if (problems.Count == 0)
                    await o.WriteLineAsync("no problems found");
                foreach (var problem in problems)
                {
                    await o.WriteLineAsync($"PROBLEM: {problem.Problem}");
                    await o.WriteLineAsync($"    fix: {problem.Fix}");
                }
            }
            return unreachable ? (int)ExitCode.Infrastructure : problems.Count > 0 ? (int)ExitCode.Inconclusive : (int)ExitCode.AllPass;
        });
        return command;
    }

    /// <summary>
    /// A phone that still trusts our CA after a run can be intercepted by anyone holding the key: warn, with the command
    /// that removes it. Skipped when there is no CA (nothing of ours can be on the phone).
    /// </summary>
    private static async Task<IReadOnlyList<DoctorProblem>> CaTrustProblemsAsync(AdbClient client, string serial, string? caDirectory, bool rooted, CancellationToken ct)
    {
        var directory = caDirectory ?? CertificateAuthority.DefaultDirectory;
        if (!File.Exists(Path.Combine(directory, CertificateAuthority.CertificateFileName)) || !File.Exists(Path.Combine(directory, CertificateAuthority.KeyFileName)))
            return [];
        string fileName;
        using (var ca = CertificateAuthority.LoadOrCreate(directory)) fileName = ca.AndroidSystemStoreFileName;
        var root = rooted ? await RootAccess.ProbeAsync(client, serial, TimeSpan.FromSeconds(10), ct) : null;
        var trusted = await PhoneCaTrust.FindAsync(client, serial, fileName, root, ct);
        if (trusted.Count == 0) return [];
        var caOption = caDirectory is null ? "" : " --ca-dir " + caDirectory;
        return [new DoctorProblem($"the phone still trusts the harness CA ({string.Join(", ", trusted)})", $"harness ca uninstall {serial}{caOption}")];
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
