using Harness.TestSupport;

namespace Harness.VirtualDevice.Tests.Integration;

/// <summary>Legacy shell, several phones on one server, and the unplug fault, through the real adb CLI.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AdbCliTransportTests
{
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_adb != null) await _adb.DisposeAsync();
    }

    [Test]
    public async Task LegacyShellMergesStderrAndHasNoExitCode()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Mi A1");
        var r = await _adb.RunAdbAsync("-s", phone.Serial, "shell", "-x", "echo out; nosuch; exit 5");
        Assert.That(r.Stdout, Is.EqualTo("out\n/system/bin/sh: nosuch: not found\n"));
        Assert.That(r.ExitCode, Is.Zero, "shell: v1 carries no exit status");
    }

    [Test]
    public async Task SlowPhoneStillAnswersCorrectly()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Mi A1");
        phone.Phone.SetResponseDelay(TimeSpan.FromMilliseconds(300));
        var r = await _adb.RunAdbAsync("-s", phone.Serial, "shell", "getprop ro.build.version.release; exit 2");
        Assert.That((r.ExitCode, r.Stdout), Is.EqualTo((2, "9\n")));
    }

    [Test]
    public async Task HostOpenOfAnUnsupportedServiceIsRefused()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Mi A1");
        var r = await _adb.RunAdbAsync("-s", phone.Serial, "forward", "tcp:0", "localabstract:nothing");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        {
            // adb forward only binds the host listener; a connection to it is what opens the device stream and gets CLSE.
            var port = int.Parse(r.Stdout.Trim());
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            var buffer = new byte[16];
            var n = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.That(n, Is.Zero, "the phone refuses the stream and the host closes the connection");
            await _adb.RunAdbAsync("-s", phone.Serial, "forward", "--remove-all");
        }
        Assert.That((await _adb.RunAdbAsync("-s", phone.Serial, "shell", "echo alive")).Stdout, Is.EqualTo("alive\n"), "a refused stream does not hurt the transport");
    }

    [Test]
    public async Task SeveralPhonesShowTheirOwnModels()
    {
        await using var a = await VirtualPhoneFixture.StartAsync(_adb, "Mi 10");
        await using var b = await VirtualPhoneFixture.StartAsync(_adb, "Redmi K20");
        var ra = _adb.RunAdbAsync("-s", a.Serial, "shell", "getprop ro.product.model");
        var rb = _adb.RunAdbAsync("-s", b.Serial, "shell", "getprop ro.product.model");
        Assert.That((await ra).Stdout, Is.EqualTo("Mi 10\n"));
        Assert.That((await rb).Stdout, Is.EqualTo("Redmi K20\n"));
    }

    [Test]
    public async Task LogcatDumpThroughTheAdbCli()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8");
        var dump = await _adb.RunAdbAsync("-s", phone.Serial, "logcat", "-d");
        Assert.That(dump.Stdout, Does.Contain("--------- beginning of main"));
        Assert.That(dump.Stdout, Does.Match(@"\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +1000 +1000 I ActivityManager: System now ready"));
    }

    [Test]
    public async Task DroppedPhoneGoesAwayAndComesBackAfterAllowReconnect()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "MI MIX 3");
        await phone.Phone.DropAdbConnectionsAsync();
        var devices = "";
        for (var i = 0; i < 100; i++)
        {
            devices = (await _adb.RunAdbAsync("devices")).Stdout;
            if (!devices.Contains($"{phone.Serial}\tdevice")) break;
            await Task.Delay(100);
        }
        Assert.That(devices, Does.Not.Contain($"{phone.Serial}\tdevice"));
        var refused = await _adb.RunAdbAsync("connect", phone.Serial);
        Assert.That(refused.Stdout, Does.Not.StartWith("connected to"), "reconnection is refused while unplugged");

        phone.Phone.AllowReconnect();
        await _adb.RunAdbAsync("disconnect", phone.Serial);
        var connect = await _adb.RunAdbAsync("connect", phone.Serial);
        Assert.That(connect.Stdout, Does.Contain("connected to"));
        await phone.WaitForStateAsync("device");
        Assert.That((await _adb.RunAdbAsync("-s", phone.Serial, "shell", "echo back")).Stdout, Is.EqualTo("back\n"));
    }
}
