using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Harness.Adb;
using Harness.TestSupport;

namespace Harness.Adb.Tests.Integration;

/// <summary>Host services against the real adb server (a private one on a free port); no phone needed.</summary>
[TestFixture, Category("Integration")]
public sealed class AdbServerTests
{
    private PrivateAdbServer _server = null!;
    private AdbClient _client = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await PrivateAdbServer.StartAsync();
        _client = new AdbClient(new AdbClientOptions { Port = _server.Port });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [Test]
    public async Task Version_matches_what_the_adb_cli_reports()
    {
        var (exitCode, stdout, _) = await _server.RunAdbAsync("version");
        Assert.That(exitCode, Is.Zero);
        var cliVersion = int.Parse(Regex.Match(stdout, @"version 1\.0\.(\d+)").Groups[1].Value);
        Assert.That(await _client.GetAdbVersionAsync(), Is.EqualTo(cliVersion));
    }

    [Test]
    public async Task Device_list_matches_the_adb_cli()
    {
        var (_, stdout, _) = await _server.RunAdbAsync("devices");
        var cliSerials = stdout.Split('\n').Skip(1).Select(l => l.Split('\t')[0].Trim()).Where(s => s.Length > 0).ToList();
        var devices = await _client.GetDevicesAsync();
        Assert.That(devices.Select(d => d.Serial), Is.EquivalentTo(cliSerials));
    }

    [Test]
    public async Task Connect_to_a_closed_port_fails_with_the_servers_text()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var exception = Assert.ThrowsAsync<AdbCommandFailedException>(() => _client.ConnectAsync("127.0.0.1", port));
        Assert.That(exception!.Reason, Does.Contain("failed to connect"));
        Assert.That(await _client.GetDevicesAsync(), Has.None.Matches<DeviceData>(d => d.Serial == $"127.0.0.1:{port}" && d.State == DeviceState.Device));
    }

    [Test]
    public void Unknown_serial_is_device_not_found()
    {
        var exception = Assert.ThrowsAsync<DeviceNotFoundException>(() => _client.ShellV1Async("no-such-phone", "true"));
        Assert.That(exception!.Serial, Is.EqualTo("no-such-phone"));
        Assert.ThrowsAsync<DeviceNotFoundException>(() => _client.GetFeaturesAsync("no-such-phone"));
    }

    [Test]
    public async Task Start_server_if_missing_starts_one_on_the_configured_port()
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        // A port no other test's server can be on: killing the server below must only ever stop our own.
        var port = PrivateAdbServer.UnusedPort();
        var client = new AdbClient(new AdbClientOptions { Port = port, StartServerIfMissing = true, AdbPath = RequiredTool.Find("adb")!, MaxRetryAttempts = 0 });
        try
        {
            Assert.That(await client.GetAdbVersionAsync(), Is.GreaterThan(0));
        }
        finally
        {
            await client.KillServerAsync();
        }
    }
}
