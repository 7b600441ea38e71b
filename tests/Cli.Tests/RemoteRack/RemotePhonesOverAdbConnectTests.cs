using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.Cli.Tests.MainJob;
using Harness.Scenarios;
using Harness.TestSupport;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// Phones on another host, reached only through `adb connect`: two virtual phones listen inside a network namespace the
/// test creates, the rack file names them with "connect", and `harness run` on this host attaches them to its own adb
/// server, runs the matrix with its proxies here (reached by the phones through `adb reverse` over that tunnel), and
/// detaches them. The verdicts must be those of the same phones on this host.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RemotePhonesOverAdbConnectTests
{
    private static readonly (string Model, string App, int Port)[] Phones = [("Redmi Note 8", "mint@3.4.0", 5611), ("Mi 10", "mibrowser@12.1.3", 5613)];
    private const string Scenario = "incognito-*";

    private static Task<CliResult> RunAsync(string devicesFile, int adbPort, string upstreamFile, string output, TempFolder folder) =>
        BuiltCli.RunAsync(
            ["run", "--devices", devicesFile, "--adb", $"127.0.0.1:{adbPort}", "--upstream-file", upstreamFile, "--scenario", Scenario, "--settle", "2",
             "--out", output, "--history", folder.Combine("history.db"), "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"),
             "--ca-dir", folder.Combine("ca"), "--signing-dir", folder.Combine("signing"), "--progress", "lines"],
            TimeSpan.FromMinutes(10), folder.Path);

    /// <summary>(browser version, scenario, mode, model) → verdict, from a run's suite-results.jsonl.</summary>
    private static SortedDictionary<string, string> Verdicts(string output) =>
        new(RunResultLine.ReadAll(Path.Combine(output, RunResultLine.FileName))
            .Where(l => l.Kind == RunResultLine.CaseKind)
            .ToDictionary(l => $"{l.Browser} {l.Version} | {l.Scenario} | {l.Mode} | {l.Model}", l => l.Verdict ?? ""), StringComparer.Ordinal);

    [Test]
    public async Task Two_phones_in_another_network_namespace_reached_only_through_adb_connect_give_the_verdicts_of_the_same_phones_on_this_host()
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        using var ns = NetworkNamespace.Create();
        using var folder = new TempFolder("harness-remote-rack");
        await using var adb = await PrivateAdbServer.StartAsync();
        var devicesFile = folder.File("devices.json", JsonSerializer.Serialize(new
        {
            adb = $"127.0.0.1:{adb.Port}",
            devices = Phones.Select(p => new
            {
                connect = $"{ns.Address}:{p.Port}",
                @virtual = new { model = p.Model, port = p.Port, rooted = true, apps = new[] { p.App }, timeFactor = SuiteRack.TimeFactor },
            }).ToArray(),
        }));
        await using var remote = await NamespacedVirtualRack.StartAsync(ns, devicesFile, folder.Combine("ready"));
        var (_, attachedBefore, _) = await adb.RunAdbAsync("devices");
        Assert.That(attachedBefore, Does.Not.Contain(ns.Address.ToString()), "nothing attaches the phones but the run");

        var remoteOut = folder.Combine("remote");
        var run = await RunAsync(devicesFile, adb.Port, remote.UpstreamFile, remoteOut, folder);
        Assert.That(run.ExitCode, Is.EqualTo(1), "the 2020 builds leak in incognito: " + run);
        foreach (var (_, _, port) in Phones)
        {
            var serial = $"{ns.Address}:{port}";
            Assert.That(run.Stdout, Does.Contain($"{serial} restored"), run.ToString());
            var facts = Directory.GetFiles(Path.Combine(remoteOut, "bundle", "devices"), "facts.json", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            Assert.That(facts, Has.Some.Match($@"adb connect {System.Text.RegularExpressions.Regex.Escape(serial)}: latency [0-9.]+ ms \(median of 10 round trips\), throughput [0-9.]+ MiB/s"),
                "the tunnel's latency and throughput are in the device facts");
        }
        var (_, attachedAfter, _) = await adb.RunAdbAsync("devices");
        Assert.That(attachedAfter, Does.Not.Contain(ns.Address.ToString()), "the run detaches the phones it attached");
        var verify = await BuiltCli.RunAsync(["verify", Path.Combine(remoteOut, "bundle")]);
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());

        // The same phones on this host, attached the usual way.
        await using var local = await SuiteRack.StartAsync(Phones.Select(p => (p.Model, new[] { p.App })).ToArray());
        var localOut = local.Folder.Combine("local");
        var localRun = await BuiltCli.RunAsync(
            ["run", "--devices", local.DevicesFile, "--scenario", Scenario, "--settle", "2", "--out", localOut, "--history", local.HistoryDatabase,
             "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"), "--ca-dir", local.Folder.Combine("ca"),
             "--signing-dir", local.Folder.Combine("signing"), "--progress", "lines"],
            TimeSpan.FromMinutes(10), local.Folder.Path);
        Assert.That(localRun.ExitCode, Is.EqualTo(run.ExitCode), localRun.ToString());
        var remoteVerdicts = Verdicts(remoteOut);
        Assert.That(remoteVerdicts, Has.Count.GreaterThanOrEqualTo(4), "every phone ran its incognito cases");
        Assert.That(remoteVerdicts, Is.EqualTo(Verdicts(localOut)), "verdicts over adb connect from another host = verdicts on this host");
    }
}
