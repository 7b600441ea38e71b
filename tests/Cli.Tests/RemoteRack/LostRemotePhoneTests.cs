using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.Cli.Tests.MainJob;
using Harness.Scenarios;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// A phone reached over `adb connect` whose link drops in the middle of a case (its Wi-Fi or the farm's tunnel went
/// away) and comes back only after that case: the case is inconclusive, never passed, and the run reconnects the phone
/// before its next case, which is judged again.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LostRemotePhoneTests
{
    [Test]
    public async Task The_case_that_loses_the_link_is_inconclusive_and_the_next_case_runs_after_a_reconnect()
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        using var folder = new TempFolder("harness-remote-lost");
        await using var adb = await PrivateAdbServer.StartAsync();
        await using var internet = VirtualInternet.Start();
        await using var phone = await VirtualPhone.StartAsync(PhoneProfile.FindBuiltIn("Redmi Note 8")! with { Rooted = true },
            new VirtualPhoneOptions { Internet = internet, TimeFactor = SuiteRack.TimeFactor, Preinstalled = [BrowserCatalog.Find("mint@3.4.0")!.Manifest] });
        var (upstream, _) = VirtualInternetPublication.Write(internet, folder.Combine("lab.upstream.json"));
        var devices = folder.File("devices.json", JsonSerializer.Serialize(new { adb = $"127.0.0.1:{adb.Port}", devices = new[] { new { connect = phone.Serial } } }));

        using var cli = RunningCli.Start(
            ["run", "--devices", devices, "--upstream-file", upstream, "--scenario", "incognito-*", "--browser", "mint", "--settle", "2", "--out", folder.Combine("out"),
             "--history", folder.Combine("history.db"), "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"), "--ca-dir", folder.Combine("ca"),
             "--signing-dir", folder.Combine("signing"), "--progress", "lines"], folder.Path, new Dictionary<string, string>());
        await cli.WaitForLineAsync(l => l.StartsWith($"{phone.Serial} start  ", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        await phone.DropAdbConnectionsAsync();
        var lost = await cli.WaitForLineAsync(l => l.StartsWith($"{phone.Serial} ", StringComparison.Ordinal) && !l.Contains(" start  ", StringComparison.Ordinal)
                                                   && !l.Contains("prepared", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        Assert.That(lost, Does.StartWith($"{phone.Serial} inconclusive"), "the case that lost its phone: " + cli.Stdout);
        phone.AllowReconnect();
        var exit = await cli.WaitForExitAsync(TimeSpan.FromMinutes(5));

        var cases = RunResultLine.ReadAll(folder.Combine("out", RunResultLine.FileName)).Where(l => l.Kind == RunResultLine.CaseKind).ToList();
        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(3), cli.Stdout + cli.Stderr);
        Assert.That(cases[0].Verdict, Is.EqualTo("inconclusive"), "never passed: " + cases[0].Reason);
        Assert.That(cases.Skip(1).Select(c => c.Verdict), Has.All.AnyOf("pass", "fail", "n/a").And.Some.EqualTo("fail"),
            "after the reconnect every case is judged (n/a: Enhanced Incognito is not in a 2020 build): " + cli.Stdout);
        Assert.That(exit, Is.EqualTo(1), "the 2020 Mint leaks in the cases after the reconnect: " + cli.Stdout + cli.Stderr);
    }
}
