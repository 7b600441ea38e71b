#if VIRTUAL_PHONE
using System.Buffers.Binary;
using System.Security.Cryptography;
using Harness.Adb;
using Harness.Adb.Ui;
using Harness.TestSupport;
using Harness.VirtualDevice.Apps;

namespace Harness.Adb.Tests.Integration;

/// <summary>The client through the real adb server against a virtual phone, as it would drive a phone on Wi-Fi debugging.</summary>
[TestFixture, Category("Integration")]
public sealed class VirtualPhoneTests
{
    private const string Model = "Redmi Note 8";
    private PrivateAdbServer _server = null!;
    private VirtualPhoneFixture _phone = null!;
    private AdbClient _client = null!;
    private string _serial = null!;

    [OneTimeSetUp]
    public async Task StartPhone()
    {
        _server = await PrivateAdbServer.StartAsync();
        _phone = await VirtualPhoneFixture.StartAsync(_server, Model);
        _serial = _phone.Serial;
        _client = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
    }

    [OneTimeTearDown]
    public async Task StopPhone()
    {
        if (_phone is not null) await _phone.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    [Test]
    public async Task Devices_l_reports_the_phone_with_its_banner_fields()
    {
        var device = (await _client.GetDevicesAsync()).Single(d => d.Serial == _serial);
        Assert.That(device.State, Is.EqualTo(DeviceState.Device));
        Assert.That(device.Model, Is.EqualTo(Model.Replace(' ', '_')), "adb sanitises the model: non-alphanumerics become _");
        Assert.That(device.Product, Is.Not.Null.And.Not.Empty);
        Assert.That(device.Device, Is.Not.Null.And.Not.Empty);
        Assert.That(device.TransportId, Is.GreaterThan(0));
        Assert.That(await _client.GetPropertyAsync(_serial, "ro.product.model"), Is.EqualTo(Model));
        var properties = await _client.GetPropertiesAsync(_serial);
        Assert.That(properties["ro.product.model"], Is.EqualTo(Model));
        Assert.That(properties["ro.product.name"], Is.EqualTo(device.Product));
    }

    [Test]
    public async Task Shell_v2_keeps_stdout_stderr_and_exit_code_apart()
    {
        Assert.That(await _client.GetFeaturesAsync(_serial), Does.Contain("shell_v2"));
        var result = await _client.ShellV2Async(_serial, "echo out; echo err >&2; exit 3");
        Assert.That(result, Is.EqualTo(new ShellResult("out\n", "err\n", 3)));
        var missing = await _client.ShellV2Async(_serial, "no-such-command-xyz");
        Assert.That(missing.ExitCode, Is.EqualTo(127));
        Assert.That(missing.Stderr, Does.Contain("no-such-command-xyz: not found"));
    }

    [Test]
    public async Task Shell_v1_merges_output_without_exit_code()
    {
        var result = await _client.ShellV1Async(_serial, "echo out; echo err >&2");
        Assert.That(result.ExitCode, Is.Null);
        Assert.That(result.Stdout, Does.Contain("out\n").And.Contain("err\n"));
        Assert.That(result.Stdout, Does.Not.Contain("\r"));
    }

    [TestCase("two  spaces")]
    [TestCase("it's \"quoted\"")]
    [TestCase("$HOME $(id) `id`")]
    [TestCase("a; echo injected && echo b | cat")]
    [TestCase("line1\nline2")]
    [TestCase("глава 中文 ñ 🙂")]
    [TestCase("* ? [a] ~ # !")]
    public async Task Hostile_arguments_round_trip_through_echo(string argument)
    {
        var result = await _client.ShellAsync(_serial, ShellQuote.Join("echo", argument));
        Assert.That(result.Stdout, Is.EqualTo(argument + "\n"));
        Assert.That(result.ExitCode ?? 0, Is.Zero);
    }

    [Test]
    public async Task Push_then_pull_of_5_MiB_is_byte_identical()
    {
        var content = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var remote = "/data/local/tmp/harness-random.bin";
        var mtime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000);
        await _client.PushAsync(_serial, new MemoryStream(content), remote, 0x81A4, mtime);

        var stat = await _client.StatAsync(_serial, remote);
        Assert.That((stat.IsRegularFile, stat.Size, stat.Modified), Is.EqualTo((true, (ulong)content.Length, mtime)));
        Assert.That((await _client.ListDirectoryAsync(_serial, "/data/local/tmp")).Select(e => e.Name), Does.Contain("harness-random.bin"));

        var pulled = await _client.PullBytesAsync(_serial, remote);
        Assert.That(SHA256.HashData(pulled), Is.EqualTo(SHA256.HashData(content)));
        Assert.That(pulled.Length, Is.EqualTo(content.Length));

        var viaExec = await _client.ExecOutAsync(_serial, ShellQuote.Join("cat", remote));
        Assert.That(SHA256.HashData(viaExec), Is.EqualTo(SHA256.HashData(content)), "exec: must be binary-safe");
        await _client.ShellAsync(_serial, ShellQuote.Join("rm", remote));
    }

    [Test]
    public async Task Sync_failures_carry_the_device_message()
    {
        var exception = Assert.ThrowsAsync<SyncFailedException>(() => _client.PullBytesAsync(_serial, "/data/local/tmp/does-not-exist"));
        Assert.That(exception!.DeviceMessage, Is.Not.Empty);
        Assert.That((await _client.StatAsync(_serial, "/data/local/tmp/does-not-exist")).Exists, Is.False);
    }

    [Test]
    public async Task Install_then_read_the_version_then_uninstall()
    {
        var apk = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.apk");
        try
        {
            VirtualApk.Write(apk, NotesApp.Manifest("2.5", 25));
            await _client.InstallAsync(_serial, apk);
            Assert.That(await _client.ListPackagesAsync(_serial), Does.Contain(NotesApp.PackageId));
            Assert.That(await _client.GetPackageVersionAsync(_serial, NotesApp.PackageId), Is.EqualTo(new PackageVersion(NotesApp.PackageId, "2.5", 25)));

            VirtualApk.Write(apk, NotesApp.Manifest("2.6", 26));
            await _client.InstallWithPmAsync(_serial, apk);
            Assert.That((await _client.GetPackageVersionAsync(_serial, NotesApp.PackageId))?.VersionCode, Is.EqualTo(26));

            await _client.UninstallAsync(_serial, NotesApp.PackageId);
            Assert.That(await _client.GetPackageVersionAsync(_serial, NotesApp.PackageId), Is.Null);
            Assert.ThrowsAsync<PackageInstallException>(() => _client.UninstallAsync(_serial, NotesApp.PackageId));
        }
        finally
        {
            File.Delete(apk);
        }
    }

    [Test]
    public async Task Reverse_create_list_remove()
    {
        await _client.RemoveAllReversesAsync(_serial);
        await _client.CreateReverseAsync(_serial, "tcp:18888", "tcp:19999");
        await _client.CreateReverseAsync(_serial, "tcp:18889", "tcp:19998");
        var reverses = await _client.ListReversesAsync(_serial);
        Assert.That(reverses.Select(r => (r.Local, r.Remote)), Is.EquivalentTo(new[] { ("tcp:18888", "tcp:19999"), ("tcp:18889", "tcp:19998") }));
        await _client.RemoveReverseAsync(_serial, "tcp:18888");
        Assert.That((await _client.ListReversesAsync(_serial)).Select(r => r.Local), Is.EqualTo(new[] { "tcp:18889" }));
        await _client.RemoveAllReversesAsync(_serial);
        Assert.That(await _client.ListReversesAsync(_serial), Is.Empty);
    }

    [Test]
    public async Task Forward_create_list_remove()
    {
        var port = await _client.CreateForwardAsync(_serial, "tcp:0", "tcp:8080");
        Assert.That(port, Is.GreaterThan(0));
        Assert.That(await _client.ListForwardsAsync(_serial), Does.Contain(new ForwardEntry(_serial, $"tcp:{port}", "tcp:8080")));
        await _client.RemoveForwardAsync(_serial, $"tcp:{port}");
        Assert.That((await _client.ListForwardsAsync(_serial)).Where(f => f.Serial == _serial), Is.Empty);
    }

    [Test]
    public async Task Settings_put_get_delete()
    {
        await _client.PutSettingAsync(_serial, SettingsNamespace.Global, "http_proxy", "127.0.0.1:8888");
        Assert.That(await _client.GetSettingAsync(_serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo("127.0.0.1:8888"));
        await _client.PutSettingAsync(_serial, SettingsNamespace.Global, "http_proxy", ":0");
        Assert.That(await _client.GetSettingAsync(_serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo(":0"));
        await _client.PutSettingAsync(_serial, SettingsNamespace.System, "harness_test_key", "a value with spaces");
        Assert.That(await _client.GetSettingAsync(_serial, SettingsNamespace.System, "harness_test_key"), Is.EqualTo("a value with spaces"));
        await _client.DeleteSettingAsync(_serial, SettingsNamespace.System, "harness_test_key");
        Assert.That(await _client.GetSettingAsync(_serial, SettingsNamespace.System, "harness_test_key"), Is.Null);
    }

    [Test]
    public async Task Ui_dump_is_parsed_and_an_element_tapped_and_typed_into()
    {
        var apk = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.apk");
        VirtualApk.Write(apk, NotesApp.Manifest());
        try
        {
            await _client.InstallAsync(_serial, apk);
        }
        finally
        {
            File.Delete(apk);
        }
        var device = new DeviceClient(_client, await _client.GetDeviceAsync(_serial));
        await device.StartAppAsync(NotesApp.PackageId);
        var input = await device.WaitForElementAsync(UiSelector.ResourceId("note_input"), TimeSpan.FromSeconds(20));
        Assert.That(input.ClassName, Is.EqualTo("android.widget.EditText"));
        Assert.That((await device.GetFocusedActivityAsync())?.PackageName, Is.EqualTo(NotesApp.PackageId));

        await device.TapAsync(input);
        await device.SendTextAsync("hello world");
        var save = await device.FindElementAsync(UiSelector.ResourceId($"{NotesApp.PackageId}:id/save"));
        Assert.That(save, Is.Not.Null);
        await device.TapAsync(save!.Center);
        var saved = await device.WaitForElementAsync(
            UiSelector.XPath($"//node[@resource-id='{NotesApp.PackageId}:id/saved' and @text='hello world']"), TimeSpan.FromSeconds(20));
        Assert.That(saved.Text, Is.EqualTo("hello world"));

        await device.ForceStopAsync(NotesApp.PackageId);
        await device.ClearAppDataAsync(NotesApp.PackageId);
        await _client.UninstallAsync(_serial, NotesApp.PackageId);
    }

    [Test]
    public async Task Waiting_for_an_absent_element_times_out_with_a_clear_error()
    {
        var device = new DeviceClient(_client, await _client.GetDeviceAsync(_serial)) { PollInterval = TimeSpan.FromMilliseconds(100) };
        var exception = Assert.ThrowsAsync<ElementNotFoundException>(() => device.WaitForElementAsync(UiSelector.Text("no such text anywhere"), TimeSpan.FromSeconds(2)));
        Assert.That(exception!.Message, Does.Contain("no such text anywhere"));
    }

    [Test]
    public async Task Screencap_is_a_png_with_a_sane_ihdr()
    {
        var device = new DeviceClient(_client, await _client.GetDeviceAsync(_serial));
        var png = await device.ScreenshotPngAsync();
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8)), Is.EqualTo(13), "IHDR length");
        Assert.That(System.Text.Encoding.ASCII.GetString(png, 12, 4), Is.EqualTo("IHDR"));
        var width = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
        Assert.That(width, Is.InRange(1u, 10_000u));
        Assert.That(height, Is.InRange(1u, 10_000u));
        Assert.That(System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4), Is.EqualTo("IEND"));
    }

    [Test]
    public async Task Streaming_shell_lines_stops_on_cancellation()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        Assert.That(async () =>
        {
            await foreach (var line in _client.StreamShellLinesAsync(_serial, "echo first; echo second; cat", cancel.Token))
            {
                lines.Add(line);
                if (lines.Count == 2) await cancel.CancelAsync();
            }
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(lines, Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task Track_devices_sees_a_phone_come_and_go()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<DeviceChange>();
        await using var enumerator = _client.TrackDevicesAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        // The first batch lists what is already there; drain it before the second phone appears.
        Assert.That(await enumerator.MoveNextAsync(), Is.True);
        events.Add(enumerator.Current);
        await using var second = await VirtualPhoneFixture.StartAsync(_server, "Mi A1", cancel.Token);
        var host = second.Serial[..second.Serial.LastIndexOf(':')];
        var port = int.Parse(second.Serial[(second.Serial.LastIndexOf(':') + 1)..]);

        while (!events.Any(e => e.Device.Serial == second.Serial && e.Device.State == DeviceState.Device) && await enumerator.MoveNextAsync())
            events.Add(enumerator.Current);
        await _client.DisconnectAsync(host, port);
        while (!events.Any(e => e.Device.Serial == second.Serial && e.Kind == DeviceChangeKind.Disconnected) && await enumerator.MoveNextAsync())
            events.Add(enumerator.Current);

        var mine = events.Where(e => e.Device.Serial == second.Serial).ToList();
        Assert.That(mine.First().Kind, Is.EqualTo(DeviceChangeKind.Connected));
        Assert.That(mine.Last().Kind, Is.EqualTo(DeviceChangeKind.Disconnected));
        Assert.That(events.Where(e => e.Device.Serial == _serial), Has.None.Matches<DeviceChange>(e => e.Kind == DeviceChangeKind.Disconnected));
    }
}
#else
namespace Harness.Adb.Tests.Integration;

[TestFixture, Category("Integration")]
public sealed class VirtualPhoneTests
{
    [Test]
    public void Phone_backed_integration_tests_need_the_virtual_phone_fixture() =>
        Assert.Ignore("tests/TestSupport/VirtualPhoneFixture.cs is not there yet, so the tests against a virtual phone are not compiled");
}
#endif
