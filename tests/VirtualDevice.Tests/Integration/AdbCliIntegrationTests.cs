using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Harness.TestSupport;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Tests.Integration;

/// <summary>The virtual phone driven by the REAL adb CLI through a private adb server.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AdbCliIntegrationTests
{
    private PrivateAdbServer _adb = null!;
    private VirtualPhoneFixture _phone = null!;
    private string _temp = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _adb = await PrivateAdbServer.StartAsync();
        _phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8");
        _temp = Directory.CreateTempSubdirectory("vd-tests-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_phone != null) await _phone.DisposeAsync();
        if (_adb != null) await _adb.DisposeAsync();
        if (_temp != null) Directory.Delete(_temp, recursive: true);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Adb(params string[] args) => _adb.RunAdbAsync(["-s", _phone.Serial, .. args]);

    [Test]
    public async Task DevicesLongListingShowsProductModelAndDevice()
    {
        var (exit, stdout, _) = await _adb.RunAdbAsync("devices", "-l");
        Assert.That(exit, Is.Zero);
        var line = stdout.Split('\n').Single(l => l.StartsWith(_phone.Serial + " ", StringComparison.Ordinal));
        Assert.That(line, Does.Contain(" device "));
        Assert.That(line, Does.Contain("product:ginkgo"));
        Assert.That(line, Does.Contain("model:Redmi_Note_8"));
        Assert.That(line, Does.Contain("device:ginkgo"));
    }

    [Test]
    public async Task ShellV2ReturnsOutputExitCodeAndSeparateStderr()
    {
        var echo = await Adb("shell", "echo", "hi");
        Assert.That((echo.ExitCode, echo.Stdout), Is.EqualTo((0, "hi\n")));

        var exit = await Adb("shell", "exit 3");
        Assert.That(exit.ExitCode, Is.EqualTo(3));

        var missing = await Adb("shell", "echo out; nosuchcmd");
        Assert.That(missing.ExitCode, Is.EqualTo(127));
        Assert.That(missing.Stdout, Is.EqualTo("out\n"));
        Assert.That(missing.Stderr, Does.Contain("/system/bin/sh: nosuchcmd: not found"));
    }

    [Test]
    public async Task HostileArgumentsRoundTripThroughEcho()
    {
        const string hostile = "a b  'q' \"d\" $HOME ; | & ü";
        var quoted = "'" + hostile.Replace("'", "'\\''") + "'";
        var result = await Adb("shell", "echo " + quoted);
        Assert.That(result.Stdout, Is.EqualTo(hostile + "\n"));
    }

    [Test]
    public async Task GetpropReportsTheProfile()
    {
        var model = await Adb("shell", "getprop", "ro.product.model");
        Assert.That(model.Stdout, Is.EqualTo("Redmi Note 8\n"));
        var all = await Adb("shell", "getprop | grep ro.build.version.sdk");
        Assert.That(all.Stdout, Is.EqualTo("[ro.build.version.sdk]: [29]\n"));
    }

    [Test]
    public async Task PushThenPullOfFiveMebibytesIsByteIdentical()
    {
        var original = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var local = Path.Combine(_temp, "random.bin");
        var back = Path.Combine(_temp, "random.back");
        await File.WriteAllBytesAsync(local, original);

        var push = await Adb("push", local, "/data/local/tmp/random.bin");
        Assert.That(push.ExitCode, Is.Zero, push.Stdout + push.Stderr);
        var pull = await Adb("pull", "/data/local/tmp/random.bin", back);
        Assert.That(pull.ExitCode, Is.Zero, pull.Stdout + pull.Stderr);
        Assert.That(SHA256.HashData(await File.ReadAllBytesAsync(back)), Is.EqualTo(SHA256.HashData(original)));

        var ls = await Adb("shell", "ls -l /data/local/tmp/random.bin");
        Assert.That(ls.Stdout, Does.Contain("5242880"));
    }

    [Test]
    public async Task PushToReadOnlySystemFailsWithTheDeviceMessage()
    {
        var local = Path.Combine(_temp, "small.txt");
        await File.WriteAllTextAsync(local, "x");
        var push = await Adb("push", local, "/system/etc/hosts2");
        Assert.That(push.ExitCode, Is.Not.Zero);
        Assert.That(push.Stdout + push.Stderr, Does.Contain("Read-only file system"));
    }

    [Test]
    public async Task InstallOfVirtualApkThenDumpsysShowsVersions()
    {
        var apk = VirtualApk.Write(Path.Combine(_temp, "notes.apk"), NotesApp.Manifest("2.5.1", 251));
        var install = await Adb("install", "-r", apk);
        Assert.That(install.Stdout, Does.Contain("Success"), install.Stdout + install.Stderr);

        var dump = await Adb("shell", "dumpsys", "package", NotesApp.PackageId);
        Assert.That(dump.Stdout, Does.Match(@"versionCode=251 minSdk=\d+ targetSdk=\d+"));
        Assert.That(dump.Stdout, Does.Contain("versionName=2.5.1"));

        var list = await Adb("shell", "pm list packages -3 --show-versioncode");
        Assert.That(list.Stdout, Does.Contain($"package:{NotesApp.PackageId} versionCode:251"));
    }

    [Test]
    public async Task InstallOfSomethingElseIsRejectedAsInvalidApk()
    {
        var bogus = Path.Combine(_temp, "bogus.apk");
        await File.WriteAllTextAsync(bogus, "not a zip");
        var install = await Adb("install", bogus);
        Assert.That(install.ExitCode, Is.Not.Zero);
        Assert.That(install.Stdout + install.Stderr, Does.Contain("INSTALL_FAILED_INVALID_APK"));
    }

    [Test]
    public async Task ReverseForwardCreateListRemoveAndPhoneConnectionReachesHostEchoServer()
    {
        using var echoServer = new TcpListener(IPAddress.Loopback, 0);
        echoServer.Start();
        var hostPort = ((IPEndPoint)echoServer.LocalEndpoint).Port;
        var echoTask = Task.Run(async () =>
        {
            using var client = await echoServer.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[1024];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n));
        });

        var create = await Adb("reverse", "tcp:8123", $"tcp:{hostPort}");
        Assert.That(create.ExitCode, Is.Zero, create.Stderr);
        var list = await Adb("reverse", "--list");
        Assert.That(list.Stdout, Does.Contain($"tcp:8123 tcp:{hostPort}"));

        await using (var phoneSide = await _phone.Phone.ConnectLocalTcpAsync(8123, CancellationToken.None))
        {
            await phoneSide.WriteAsync("ping from the phone"u8.ToArray());
            var received = new byte[19];
            await phoneSide.ReadExactlyAsync(received);
            Assert.That(Encoding.ASCII.GetString(received), Is.EqualTo("ping from the phone"));
        }

        var remove = await Adb("reverse", "--remove", "tcp:8123");
        Assert.That(remove.ExitCode, Is.Zero, remove.Stderr);
        var after = await Adb("reverse", "--list");
        Assert.That(after.Stdout, Does.Not.Contain("tcp:8123"));
        Assert.ThrowsAsync<Android.PhoneConnectionRefusedException>(() => _phone.Phone.ConnectLocalTcpAsync(8123, CancellationToken.None));
        echoServer.Stop();
        await Task.WhenAny(echoTask, Task.Delay(5000));
    }

    [Test]
    public async Task PhoneConnectionThroughReverseToAClosedHostPortIsRefused()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var create = await Adb("reverse", "tcp:8124", $"tcp:{closedPort}");
        Assert.That(create.ExitCode, Is.Zero, create.Stderr);
        var refused = Assert.ThrowsAsync<Android.PhoneConnectionRefusedException>(() => _phone.Phone.ConnectLocalTcpAsync(8124, CancellationToken.None));
        Assert.That(refused!.Port, Is.EqualTo(8124));
        await Adb("reverse", "--remove-all");
        Assert.That((await Adb("reverse", "--list")).Stdout.Trim(), Is.Empty);
    }

    [Test]
    public async Task UiautomatorDumpToDevTtyParsesAsXmlUnderExecOut()
    {
        await InstallAndStartNotesAsync();
        var (exit, stdout, _) = await Adb("exec-out", "uiautomator", "dump", "/dev/tty");
        Assert.That(exit, Is.Zero);
        var start = stdout.IndexOf("<?xml", StringComparison.Ordinal);
        var end = stdout.IndexOf("</hierarchy>", StringComparison.Ordinal) + "</hierarchy>".Length;
        var doc = XDocument.Parse(stdout[start..end]);
        Assert.That(doc.Descendants("node").Select(n => (string?)n.Attribute("resource-id")), Does.Contain("com.example.notes:id/save"));
        Assert.That(stdout, Does.Contain("UI hierchary dumped to: /dev/tty"));

        var v2 = await Adb("shell", "uiautomator dump /dev/tty");
        Assert.That(v2.Stdout, Does.Not.Contain("<hierarchy"), "shell v2 has no terminal, as on a real phone");
    }

    [Test]
    public async Task ScreencapThroughExecOutIsAValidPng()
    {
        var path = Path.Combine(_temp, "screen.png");
        var (exit, _, _) = await RunToFileAsync(path, "exec-out", "screencap", "-p");
        Assert.That(exit, Is.Zero);
        var png = await File.ReadAllBytesAsync(path);
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        var decoded = Unit.PngTestDecoder.Decode(png);
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((1080, 2340)));
    }

    [Test]
    public async Task InputTextAndTapOnSaveChangesTheNextDump()
    {
        await InstallAndStartNotesAsync();
        var before = await DumpAsync();
        var input = Node(before, "com.example.notes:id/note_input");
        await Adb("shell", "input", "tap", Center(input).X, Center(input).Y);
        await Adb("shell", "input text 'hello%sworld'");
        var save = Node(before, "com.example.notes:id/save");
        var tap = await Adb("shell", "input", "tap", Center(save).X, Center(save).Y);
        Assert.That(tap.ExitCode, Is.Zero);

        var after = await DumpAsync();
        Assert.That((string?)Node(after, "com.example.notes:id/saved").Attribute("text"), Is.EqualTo("hello world"));
        Assert.That((string?)Node(before, "com.example.notes:id/saved").Attribute("text"), Is.Not.EqualTo("hello world"));
    }

    [Test]
    public async Task AdbKeyboardTypesChineseOnlyOnceInstalledEnabledAndSelected()
    {
        const string latin = "com.android.inputmethod.latin/.LatinIME";
        var text = "金丝雀搜索 ok";
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        await InstallAndStartNotesAsync();
        var input = Node(await DumpAsync(), "com.example.notes:id/note_input");
        await Adb("shell", "input", "tap", Center(input).X, Center(input).Y);

        // `input text` cannot type it, with the real NullPointerException.
        var plain = await Adb("shell", $"input text '{text}'");
        Assert.That(plain.Stderr + plain.Stdout, Does.Contain("NullPointerException"));
        Assert.That((await Adb("shell", "ime", "list", "-s")).Stdout.Trim(), Is.EqualTo(latin));

        var apk = VirtualApk.Write(Path.Combine(_temp, "ADBKeyboard.apk"), AdbKeyboardApp.Manifest());
        Assert.That((await Adb("install", apk)).Stdout, Does.Contain("Success"));
        try
        {
            // Installed, not enabled: -a lists it, -s does not, and it cannot be selected.
            Assert.That((await Adb("shell", "ime", "list", "-a", "-s")).Stdout, Does.Contain(AdbKeyboardApp.ImeId));
            Assert.That((await Adb("shell", "ime", "list", "-s")).Stdout, Does.Not.Contain(AdbKeyboardApp.ImeId));
            Assert.That((await Adb("shell", "ime", "set", AdbKeyboardApp.ImeId)).Stderr, Does.Contain("could not be selected"));
            // While another IME is current the broadcast reaches no receiver: nothing is typed.
            var unheard = await Adb("shell", "am", "broadcast", "-a", "ADB_INPUT_B64", "--es", "msg", b64);
            Assert.That(unheard.Stdout, Does.Contain("Broadcast completed: result=0"));
            Assert.That((string?)Node(await DumpAsync(), "com.example.notes:id/note_input").Attribute("text"), Is.Empty);

            Assert.That((await Adb("shell", "ime", "enable", AdbKeyboardApp.ImeId)).Stdout, Does.Contain("now enabled"));
            Assert.That((await Adb("shell", "ime", "set", AdbKeyboardApp.ImeId)).Stdout, Does.Contain("selected"));
            Assert.That((await Adb("shell", "settings", "get", "secure", "default_input_method")).Stdout.Trim(), Is.EqualTo(AdbKeyboardApp.ImeId));
            var typed = await Adb("shell", "am", "broadcast", "-a", "ADB_INPUT_B64", "--es", "msg", b64);
            Assert.That(typed.Stdout, Does.Contain("Broadcasting: Intent { act=ADB_INPUT_B64").And.Contain("Broadcast completed: result=0"));
            Assert.That((string?)Node(await DumpAsync(), "com.example.notes:id/note_input").Attribute("text"), Is.EqualTo(text));
        }
        finally
        {
            await Adb("shell", "ime", "set", latin);
            await Adb("uninstall", AdbKeyboardApp.PackageId);
        }
    }

    private async Task InstallAndStartNotesAsync()
    {
        var apk = VirtualApk.Write(Path.Combine(_temp, "notes-start.apk"), NotesApp.Manifest());
        await Adb("install", "-r", apk);
        await Adb("shell", "pm", "clear", NotesApp.PackageId);
        var start = await Adb("shell", "am start -W -n com.example.notes/.MainActivity");
        Assert.That(start.Stdout, Does.Contain("Status: ok"), start.Stdout + start.Stderr);
    }

    private async Task<XDocument> DumpAsync()
    {
        var dump = await Adb("shell", "uiautomator dump /data/local/tmp/ui.xml && cat /data/local/tmp/ui.xml");
        var start = dump.Stdout.IndexOf("<?xml", StringComparison.Ordinal);
        return XDocument.Parse(dump.Stdout[start..(dump.Stdout.IndexOf("</hierarchy>", StringComparison.Ordinal) + 12)]);
    }

    private static XElement Node(XDocument doc, string resourceId) => doc.Descendants("node").Single(n => (string?)n.Attribute("resource-id") == resourceId);

    private static (string X, string Y) Center(XElement node)
    {
        var m = System.Text.RegularExpressions.Regex.Match((string)node.Attribute("bounds")!, @"\[(\d+),(\d+)\]\[(\d+),(\d+)\]");
        var v = Enumerable.Range(1, 4).Select(g => int.Parse(m.Groups[g].Value)).ToArray();
        return (((v[0] + v[2]) / 2).ToString(), ((v[1] + v[3]) / 2).ToString());
    }

    /// <summary>Runs adb with stdout going to a file, so binary output is not decoded as text.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunToFileAsync(string path, params string[] args)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo(_adb.AdbPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-P", _adb.Port.ToString(), "-s", _phone.Serial }.Concat(args)) startInfo.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(startInfo)!;
        await using (var file = File.Create(path))
        {
            var copy = process.StandardOutput.BaseStream.CopyToAsync(file);
            var err = process.StandardError.ReadToEndAsync();
            await copy;
            await process.WaitForExitAsync();
            return (process.ExitCode, "", await err);
        }
    }
}
