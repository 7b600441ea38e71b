using System.Diagnostics;
using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.TestSupport;

namespace Harness.Cli.Tests.MainJob;

/// <summary>`harness virtual-rack --devices FILE` attaches its phones to the adb server that FILE names, the one `harness run` then asks.</summary>
[TestFixture]
public sealed class VirtualRackCommandTests
{
    [Test]
    public async Task PhonesGoToTheAdbServerOfTheRackFile()
    {
        await using var adb = await PrivateAdbServer.StartAsync();
        using var dir = new TempFolder("harness-virtual-rack");
        var devices = dir.Combine("devices.json");
        await File.WriteAllTextAsync(devices, JsonSerializer.Serialize(new
        {
            adb = $"127.0.0.1:{adb.Port}",
            devices = new[] { new { serial = "virtual-1", @virtual = new { model = "Mi 10", port = 0, rooted = false, apps = new[] { "mint@3.4.3" } } } },
        }));
        var ready = dir.Combine("ready");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { BuiltCli.DllPath, "virtual-rack", "--devices", devices, "--ready-file", ready }) start.ArgumentList.Add(arg);
        using var rack = Process.Start(start)!;
        var stdout = rack.StandardOutput.ReadToEndAsync();
        var stderr = rack.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            using var watcher = new FileSystemWatcher(dir.Path, "ready") { EnableRaisingEvents = true };
            var created = new TaskCompletionSource();
            watcher.Created += (_, _) => created.TrySetResult();
            watcher.Renamed += (_, _) => created.TrySetResult();
            if (!File.Exists(ready)) await created.Task.WaitAsync(timeout.Token);
            var serial = (await File.ReadAllLinesAsync(ready)).Single(l => l.Length > 0);
            var (_, listed, _) = await adb.RunAdbAsync("devices");
            Assert.That(listed, Does.Contain(serial + "\tdevice"), "the phone is attached to the rack file's adb server");
        }
        finally
        {
            using (var term = Process.Start("kill", ["-TERM", rack.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            await rack.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        Assert.That(await stdout, Does.Contain($"attached to adb at 127.0.0.1:{adb.Port}"), await stderr);
    }
}
