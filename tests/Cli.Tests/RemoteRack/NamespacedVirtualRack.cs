using System.Diagnostics;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// `harness virtual-rack --listen ADDRESS --no-connect` running inside a <see cref="NetworkNamespace"/>: the rack file's
/// virtual phones listen there for `adb connect`, like phones with wireless debugging on another host, and their local
/// internet listens there too (published as READY.upstream.json). Nothing attaches them: the run must.
/// </summary>
internal sealed class NamespacedVirtualRack : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private NamespacedVirtualRack(Process process, string readyFile)
    {
        _process = process;
        ReadyFile = readyFile;
    }

    public string ReadyFile { get; }
    public string UpstreamFile => ReadyFile + ".upstream.json";
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<NamespacedVirtualRack> StartAsync(NetworkNamespace ns, string devicesFile, string readyFile)
    {
        var process = ns.StartProcess("dotnet", [BuiltCli.DllPath, "virtual-rack", "--devices", devicesFile, "--listen", ns.Address.ToString(), "--no-connect", "--ready-file", readyFile]);
        var rack = new NamespacedVirtualRack(process, readyFile);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (rack._output) rack._output.AppendLine(e.Data);
            TestContext.Progress.WriteLine("  netns-rack| " + e.Data);
            if (e.Data == "ready") ready.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != ready.Task)
        {
            await rack.DisposeAsync();
            Assert.Fail("the virtual rack in the network namespace did not come up:\n" + rack.Output);
        }
        return rack;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
