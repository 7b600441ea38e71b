using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Cli.Tests.Hardening;
using Harness.Cli.Tests.MainJob;
using Harness.Core;
using Harness.TestSupport;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// The shipped rack (devices.json, moved to free ports) split over two "hosts": `harness run --shard 1/2` and `--shard
/// 2/2` as separate processes, each with its own adb server, signing key and history; `harness merge` makes one run of
/// them whose summary equals that of an unsharded run of the same rack, whose Allure results the real Allure CLI renders,
/// and whose bundle index `harness verify` checks shard by shard (a swapped shard bundle is caught).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ShardMergeTests
{
    private const string Scenario = "incognito-url";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The shipped devices.json with its virtual phones on free ports, reached by "connect" so each shard attaches its own.</summary>
    private static string ShippedRackOnFreePorts(TempFolder folder)
    {
        var rack = JsonNode.Parse(File.ReadAllText(Path.Combine(BuiltCli.FindRepositoryRoot(), "devices.json")))!.AsObject();
        rack["account"] = new JsonObject { ["file"] = Path.Combine(BuiltCli.FindRepositoryRoot(), "devices.account.json") };
        foreach (var device in rack["devices"]!.AsArray().Select(d => d!.AsObject()))
        {
            var port = FreePort();
            device["virtual"]!["port"] = port;
            device.Remove("serial");
            device["connect"] = $"127.0.0.1:{port}";
        }
        return folder.File("devices.json", rack.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string[] RunArgs(string devices, int adbPort, string upstream, TempFolder folder, string name, params string[] extra) =>
        ["run", "--devices", devices, "--adb", $"127.0.0.1:{adbPort}", "--upstream-file", upstream, "--scenario", Scenario, "--settle", "2",
         "--out", folder.Combine(name), "--history", folder.Combine(name + ".db"), "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"),
         "--ca-dir", folder.Combine("ca"), "--signing-dir", folder.Combine("signing-" + name), "--progress", "lines", .. extra];

    [Test]
    public async Task Two_shards_on_separate_adb_servers_merge_into_the_summary_of_an_unsharded_run_and_verify_shard_by_shard()
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        using var folder = new TempFolder("harness-shards");
        var devices = ShippedRackOnFreePorts(folder);
        using var rack = RunningCli.Start(["virtual-rack", "--devices", devices, "--no-connect", "--ready-file", folder.Combine("ready")], folder.Path, new Dictionary<string, string>());
        await rack.WaitForLineAsync(l => l == "ready", TimeSpan.FromMinutes(2));
        var upstream = folder.Combine("ready.upstream.json");
        await using var adb1 = await PrivateAdbServer.StartAsync();
        await using var adb2 = await PrivateAdbServer.StartAsync();
        await using var adbWhole = await PrivateAdbServer.StartAsync();

        // Each shard in its own working folder (its own results/.sessions), as on its own host.
        Directory.CreateDirectory(folder.Combine("host1"));
        Directory.CreateDirectory(folder.Combine("host2"));
        var shard1 = BuiltCli.RunAsync(RunArgs(devices, adb1.Port, upstream, folder, "shard1", "--shard", "1/2"), TimeSpan.FromMinutes(10), folder.Combine("host1"));
        var shard2 = BuiltCli.RunAsync(RunArgs(devices, adb2.Port, upstream, folder, "shard2", "--shard", "2/2"), TimeSpan.FromMinutes(10), folder.Combine("host2"));
        var (one, two) = (await shard1, await shard2);
        Assert.That(one.ExitCode, Is.EqualTo(1), "shard 1 holds the 2020 phone, which leaks: " + one);
        Assert.That(two.ExitCode, Is.Not.EqualTo((int)ExitCode.BadInput).And.Not.EqualTo((int)ExitCode.Infrastructure), two.ToString());
        Assert.That(one.Stdout, Does.Contain("1 phone(s)").And.Contain($"via adb 127.0.0.1:{adb1.Port}"), one.ToString());
        Assert.That(two.Stdout, Does.Contain("1 phone(s)").And.Contain($"via adb 127.0.0.1:{adb2.Port}"), two.ToString());

        var merge = await BuiltCli.RunAsync(["merge", folder.Combine("shard1"), folder.Combine("shard2"), "-o", folder.Combine("merged"), "--history", folder.Combine("merged.db")],
            TimeSpan.FromMinutes(2), folder.Path);
        Assert.That(merge.ExitCode, Is.EqualTo(1), "the merged run's exit code is the whole rack's: " + merge);

        Directory.CreateDirectory(folder.Combine("host3"));
        var whole = await BuiltCli.RunAsync(RunArgs(devices, adbWhole.Port, upstream, folder, "whole"), TimeSpan.FromMinutes(10), folder.Combine("host3"));
        Assert.That(whole.ExitCode, Is.EqualTo(merge.ExitCode), whole.ToString());
        Assert.That(await File.ReadAllTextAsync(folder.Combine("merged", "summary.txt")), Is.EqualTo(await File.ReadAllTextAsync(folder.Combine("whole", "summary.txt"))),
            "the merged summary is the unsharded run's");

        var verify = await BuiltCli.RunAsync(["verify", folder.Combine("merged")], TimeSpan.FromMinutes(3));
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());
        Assert.That(verify.Stdout, Does.Contain("shard 1/2: bundles/shard-1-2").And.Contain("shard 2/2: bundles/shard-2-2").And.Contain("VERIFIED: all 2 shard bundle(s)"), verify.ToString());
        var index = JsonNode.Parse(await File.ReadAllTextAsync(folder.Combine("merged", "bundle-index.json")))!;
        var keys = index["shards"]!.AsArray().Select(s => (string)s!["signingKeyFingerprint"]!).ToList();
        Assert.That(keys, Has.Count.EqualTo(2).And.Unique, "each shard's bundle stays signed by its own host's key");

        // A shard bundle swapped for another validly signed run's is caught by the index.
        var swapped = folder.Combine("swapped");
        CopyTree(folder.Combine("merged"), swapped);
        Directory.Delete(Path.Combine(swapped, "bundles", "shard-2-2"), recursive: true);
        CopyTree(folder.Combine("shard1", "bundle"), Path.Combine(swapped, "bundles", "shard-2-2"));
        var caught = await BuiltCli.RunAsync(["verify", swapped], TimeSpan.FromMinutes(3));
        Assert.That(caught.ExitCode, Is.EqualTo(1), caught.ToString());
        Assert.That(caught.Stdout, Does.Contain("is not the").And.Contain("NOT VERIFIED"), caught.ToString());

        // One history: the merged run is one run holding every case of both shards.
        await using (var history = await Harness.Evidence.History.HistoryStore.OpenAsync(folder.Combine("merged.db"), CancellationToken.None))
        {
            var runs = await history.ListRunsAsync(CancellationToken.None);
            Assert.That(runs, Has.Count.EqualTo(1), "one run in the merged history");
            var cases = await history.ListCasesAsync(new Harness.Evidence.History.HistoryQuery { RunId = runs[0].Id }, CancellationToken.None);
            await using var wholeHistory = await Harness.Evidence.History.HistoryStore.OpenAsync(folder.Combine("whole.db"), CancellationToken.None);
            var wholeCases = await wholeHistory.ListCasesAsync(new Harness.Evidence.History.HistoryQuery(), CancellationToken.None);
            Assert.That(cases.Select(c => $"{c.Device} {c.Browser} {c.Scenario} {c.Mode} {c.Verdict}").Order(), Is.EqualTo(wholeCases.Select(c => $"{c.Device} {c.Browser} {c.Scenario} {c.Mode} {c.Verdict}").Order()).And.Not.Empty,
                "every judged case of both shards, as the unsharded run recorded them");
        }

        var (rendered, output) = await ReportTools.GenerateAsync(folder.Combine("merged", "allure-results"), folder.Combine("merged", "allure-report"), folder.Path);
        Assert.That(rendered, Is.EqualTo(0), output);
        var html = await File.ReadAllTextAsync(folder.Combine("merged", "allure-report", "index.html"));
        Assert.That(Directory.GetFiles(folder.Combine("merged", "allure-results"), "*-result.json"), Has.Length.EqualTo(
            Directory.GetFiles(folder.Combine("shard1", "allure-results"), "*-result.json").Length + Directory.GetFiles(folder.Combine("shard2", "allure-results"), "*-result.json").Length),
            "every case of both shards is in the merged results");
        Assert.That(html, Does.Contain("Browser leak suite"), "the Allure CLI rendered the merged results");
    }

    private static void CopyTree(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
