using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.Cli.Tests.MainJob;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// A "pair" entry asks our adb server for `adb pair` (host:pair) before `adb connect`. Debian's adb 29 server does not
/// know the service: the phone fails to prepare naming the adb version it needs, the run is an infrastructure failure,
/// and the pairing code never appears in the output.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PairingTests
{
    [Test]
    public async Task Pairing_through_an_adb_server_that_cannot_pair_fails_the_phone_naming_why_and_never_prints_the_code()
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        const string code = "482913";
        using var folder = new TempFolder("harness-remote-pair");
        await using var adb = await PrivateAdbServer.StartAsync();
        var (_, version, _) = await adb.RunAdbAsync("version");
        if (!version.Contains("Version 29.", StringComparison.Ordinal))
            Assert.Inconclusive("this test describes an adb server before 30 (Debian's 29); this one pairs: " + version.Trim());
        await using var phone = await VirtualPhone.StartAsync(PhoneProfile.FindBuiltIn("Redmi Note 8")! with { Rooted = true },
            new VirtualPhoneOptions { TimeFactor = SuiteRack.TimeFactor, Preinstalled = [BrowserCatalog.Find("mint@3.4.0")!.Manifest] });
        var devices = folder.File("devices.json", JsonSerializer.Serialize(new
        {
            adb = $"127.0.0.1:{adb.Port}",
            devices = new[] { new { connect = phone.Serial, pair = new Dictionary<string, string> { ["address"] = phone.Serial, ["code-env"] = "HARNESS_TEST_PAIRING_CODE" } } },
        }));
        var run = await BuiltCli.RunAsync(
            ["run", "--devices", devices, "--scenario", "control-leak", "--browser", "mint", "--upstream", "sinkhole", "--out", folder.Combine("out"),
             "--history", folder.Combine("history.db"), "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"), "--ca-dir", folder.Combine("ca"),
             "--signing-dir", folder.Combine("signing"), "--progress", "lines"],
            TimeSpan.FromMinutes(3), folder.Path, new Dictionary<string, string> { ["HARNESS_TEST_PAIRING_CODE"] = code });
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), run.ToString());
        Assert.That(run.Stdout, Does.Contain($"{phone.Serial} failed: could not be prepared: could not attach over adb connect {phone.Serial}: adb request 'adb pair {phone.Serial}' failed"), run.ToString());
        Assert.That(run.Stdout, Does.Contain("pairing needs an adb server of version 30 or later"), run.ToString());
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(code), "the pairing code is never printed");
        Assert.That(Directory.EnumerateFiles(folder.Combine("out"), "*", SearchOption.AllDirectories).Where(f => File.ReadAllText(f).Contains(code, StringComparison.Ordinal)), Is.Empty,
            "nor written to the output folder");
    }
}
