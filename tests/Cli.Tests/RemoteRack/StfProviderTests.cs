using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.Cli.Tests.MainJob;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// Phones rented from a DeviceFarmer/STF farm, against <see cref="StfStandIn"/> (STF's documented endpoints and errors)
/// with virtual phones behind it reached over a real `adb connect` of a private adb server: reserve, remote connect, run,
/// and release after success, after a failure, after Ctrl+C and after a killed run (at the next start); a phone someone
/// else holds is skipped with a message; a refused token stops the run before anything is reserved.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StfProviderTests
{
    private const string Token = "stf-test-token-5c1f";
    private const string TokenVariable = "HARNESS_TEST_STF_TOKEN";

    private sealed class Farm : IAsyncDisposable
    {
        public required PrivateAdbServer Adb { get; init; }
        public required TempFolder Folder { get; init; }
        public required VirtualInternet Internet { get; init; }
        public required List<VirtualPhone> Phones { get; init; }
        public required StfStandIn Stf { get; init; }
        public required string DevicesFile { get; init; }

        public string[] RunArgs(string output, string scenario = "control-leak") =>
            ["run", "--devices", DevicesFile, "--scenario", scenario, "--settle", "2", "--out", Folder.Combine(output), "--history", Folder.Combine("history.db"),
             "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"), "--ca-dir", Folder.Combine("ca"), "--signing-dir", Folder.Combine("signing"),
             "--progress", "lines"];

        public Dictionary<string, string> Environment(string token = Token) => new() { [TokenVariable] = token };

        public string MarkersFolder => Folder.Combine("results", ".sessions", "stf");

        public void AssertAllReleased()
        {
            foreach (var device in Stf.Devices.Where(d => d.Serial != "stf-held-by-colleague"))
            {
                Assert.That(device.Owner, Is.Null, $"{device.Serial} is given back");
                Assert.That(device.RemoteConnected, Is.False, $"{device.Serial}'s remote connect is closed");
            }
            Assert.That(Directory.Exists(MarkersFolder) ? Directory.GetFiles(MarkersFolder) : [], Is.Empty, "no reservation marker is left");
        }

        public async ValueTask DisposeAsync()
        {
            await Stf.DisposeAsync();
            foreach (var phone in Phones) await phone.DisposeAsync();
            await Internet.DisposeAsync();
            await Adb.DisposeAsync();
            Folder.Dispose();
        }
    }

    /// <summary>A farm of a Redmi Note 8 (Mint 3.4.0) asked for by serial, a Mi 10 (Mi Browser 12.1.3) by filter, and a phone a colleague holds.</summary>
    private static async Task<Farm> StartFarmAsync(bool brokenTunnel = false)
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        var folder = new TempFolder("harness-stf");
        var adb = await PrivateAdbServer.StartAsync();
        var internet = VirtualInternet.Start();
        var phones = new List<VirtualPhone>();
        async Task<VirtualPhone> PhoneAsync(string model, string app)
        {
            var profile = PhoneProfile.FindBuiltIn(model)! with { Rooted = true };
            var phone = await VirtualPhone.StartAsync(profile, new VirtualPhoneOptions { Internet = internet, TimeFactor = SuiteRack.TimeFactor, Preinstalled = [BrowserCatalog.Find(app)!.Manifest] });
            phones.Add(phone);
            return phone;
        }
        var stf = await StfStandIn.StartAsync(Token,
        [
            new StfStandInDevice("stf-redmi-note-8", "Redmi Note 8", 29, await PhoneAsync("Redmi Note 8", "mint@3.4.0")),
            new StfStandInDevice("stf-mi-10", "Mi 10", 34, brokenTunnel ? null : await PhoneAsync("Mi 10", "mibrowser@12.1.3")),
            new StfStandInDevice("stf-held-by-colleague", "Mi 10", 34, null) { Owner = "colleague@lab.example" },
        ]);
        var (upstreamFile, _) = VirtualInternetPublication.Write(internet, folder.Combine("lab.upstream.json"));
        var devicesFile = folder.File("devices.json", JsonSerializer.Serialize(new
        {
            adb = $"127.0.0.1:{adb.Port}",
            upstream = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(upstreamFile)),
            provider = new { stf = new { url = stf.Url.AbsoluteUri, @token_env = TokenVariable } },
            devices = new object[]
            {
                new { stf = new { serial = "stf-redmi-note-8" } },
                new { stf = new { model = "Mi 10", sdk = 34 } },
                new { stf = new { serial = "stf-held-by-colleague" } },
            },
        }).Replace("token_env", "token-env"));
        return new Farm { Adb = adb, Folder = folder, Internet = internet, Phones = phones, Stf = stf, DevicesFile = devicesFile };
    }

    [Test]
    public async Task Phones_are_reserved_remote_connected_run_and_released_and_a_taken_phone_is_skipped_with_a_message()
    {
        await using var farm = await StartFarmAsync();
        var run = await BuiltCli.RunAsync(farm.RunArgs("out"), TimeSpan.FromMinutes(6), farm.Folder.Path, farm.Environment());
        Assert.That(run.ExitCode, Is.EqualTo(0), "the control scenario finds its leak on both rented phones: " + run);
        Assert.That(run.Stdout, Does.Contain("stf-held-by-colleague is taken (Device is being used or not available): skipped"), run.ToString());
        foreach (var phone in farm.Phones)
        {
            Assert.That(run.Stdout, Does.Contain($"{phone.Serial} pass control-leak"), "the rented phone ran its case over adb connect: " + run);
            Assert.That(run.Stdout, Does.Contain($"{phone.Serial} restored"), run.ToString());
        }
        var requests = farm.Stf.Requests;
        foreach (var serial in new[] { "stf-redmi-note-8", "stf-mi-10" })
        {
            var order = new[] { "POST /api/v1/user/devices 200", $"POST /api/v1/user/devices/{serial}/remoteConnect 200", $"DELETE /api/v1/user/devices/{serial}/remoteConnect 200", $"DELETE /api/v1/user/devices/{serial} 200" }
                .Select(r => requests.ToList().IndexOf(r)).ToList();
            Assert.That(order.Skip(1), Has.All.GreaterThanOrEqualTo(0), $"{serial}: reserved, remote-connected, disconnected, released:\n{string.Join("\n", requests)}");
            Assert.That(order.Skip(1), Is.Ordered, string.Join("\n", requests));
        }
        Assert.That(requests, Does.Contain("GET /api/v1/devices 200"), "the filter chose from the farm's list");
        farm.AssertAllReleased();
        Assert.That(farm.Stf.Device("stf-held-by-colleague").Owner, Is.EqualTo("colleague@lab.example"), "the colleague's phone is untouched");
        var (_, attached, _) = await farm.Adb.RunAdbAsync("devices");
        Assert.That(farm.Phones.Select(p => p.Serial), Has.None.Matches<string>(s => attached.Contains(s + "\tdevice", StringComparison.Ordinal)), "adb disconnect after the run: " + attached);
    }

    [Test]
    public async Task A_phone_whose_tunnel_never_opens_fails_the_run_as_infrastructure_and_is_still_released()
    {
        await using var farm = await StartFarmAsync(brokenTunnel: true);
        var run = await BuiltCli.RunAsync(farm.RunArgs("out"), TimeSpan.FromMinutes(6), farm.Folder.Path, farm.Environment());
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), run.ToString());
        Assert.That(run.Stdout + run.Stderr, Does.Contain("stf-mi-10: could not attach over adb connect 127.0.0.1:1"), run.ToString());
        Assert.That(farm.Stf.Requests, Does.Contain("DELETE /api/v1/user/devices/stf-mi-10 200"));
        farm.AssertAllReleased();
    }

    [Test]
    public async Task A_refused_token_stops_the_run_before_anything_is_reserved()
    {
        await using var farm = await StartFarmAsync();
        var run = await BuiltCli.RunAsync(farm.RunArgs("out"), TimeSpan.FromMinutes(2), farm.Folder.Path, farm.Environment("not-the-token"));
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), run.ToString());
        Assert.That(run.Stderr, Does.Contain("401 Requires Authentication"), run.ToString());
        Assert.That(run.Stderr, Does.Not.Contain("not-the-token"), "the token is never printed");
        Assert.That(farm.Stf.Requests, Is.Not.Empty.And.All.EndsWith(" 401"), "every request refused, nothing reserved");
        farm.AssertAllReleased();
    }

    [Test]
    public async Task Ctrl_C_during_a_case_releases_every_rented_phone()
    {
        await using var farm = await StartFarmAsync();
        using var cli = RunningCli.Start(farm.RunArgs("out", "incognito-*"), farm.Folder.Path, farm.Environment());
        await cli.WaitForLineAsync(l => l.Contains(" start  incognito", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        Assert.That(farm.Stf.Device("stf-redmi-note-8").Owner, Is.EqualTo(StfStandIn.UserEmail), "held while the case runs");
        cli.Interrupt();
        var exit = await cli.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.That(exit, Is.EqualTo((int)ExitCode.Infrastructure), cli.Stdout + cli.Stderr);
        Assert.That(cli.Stderr, Does.Contain("cancelled: phones restored and released"), cli.Stderr);
        farm.AssertAllReleased();
    }

    [Test]
    public async Task A_killed_run_leaves_its_reservations_recorded_and_the_next_start_releases_them()
    {
        await using var farm = await StartFarmAsync();
        using (var cli = RunningCli.Start(farm.RunArgs("killed", "incognito-*"), farm.Folder.Path, farm.Environment()))
        {
            await cli.WaitForLineAsync(l => l.Contains(" start  incognito", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
            cli.Kill();
            await cli.WaitForExitAsync(TimeSpan.FromMinutes(1));
        }
        Assert.That(farm.Stf.Device("stf-redmi-note-8").Owner, Is.EqualTo(StfStandIn.UserEmail), "a killed run releases nothing");
        Assert.That(Directory.GetFiles(farm.MarkersFolder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "stf-redmi-note-8.json", "stf-mi-10.json" }), "its reservations are recorded");

        var next = await BuiltCli.RunAsync(farm.RunArgs("next"), TimeSpan.FromMinutes(6), farm.Folder.Path, farm.Environment());
        Assert.That(next.Stdout, Does.Contain("released stf-redmi-note-8, left reserved by a killed run"), next.ToString());
        Assert.That(next.Stdout, Does.Contain("released stf-mi-10, left reserved by a killed run"), next.ToString());
        Assert.That(next.ExitCode, Is.EqualTo(0), "then reserved again and run: " + next);
        farm.AssertAllReleased();
    }
}
