using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Harness.TestSupport;

/// <summary>
/// A real adb server on a free loopback port, private to one fixture, so tests never touch the user's 5037 server.
/// Started with `adb -P PORT start-server`, stopped with `adb -P PORT kill-server` on dispose.
/// </summary>
public sealed class PrivateAdbServer : IAsyncDisposable
{
    private PrivateAdbServer(string adbPath, int port)
    {
        AdbPath = adbPath;
        Port = port;
    }

    public string AdbPath { get; }
    public int Port { get; }

    public static async Task<PrivateAdbServer> StartAsync(CancellationToken ct = default)
    {
        var adb = RequiredTool.Locate("adb", "apt-get install adb");
        // A free port can be taken between our probe and adb's bind: try a few.
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new PrivateAdbServer(adb, UnusedPort());
            var (exitCode, stdout, stderr) = await server.RunAdbAsync(ct, "start-server").ConfigureAwait(false);
            if (exitCode == 0) return server;
            last = new InvalidOperationException($"`adb -P {server.Port} start-server` exited with {exitCode}: {stdout}{stderr}");
            await server.DisposeAsync().ConfigureAwait(false);
        }
        throw last!;
    }

    /// <summary>Runs `adb -P Port ARGS…` and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunAdbAsync(params string[] args) =>
        RunAdbAsync(CancellationToken.None, args);

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAdbAsync(CancellationToken ct, params string[] args)
    {
        var startInfo = new ProcessStartInfo(AdbPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-P");
        startInfo.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {AdbPath}");
        process.StandardInput.Close();
        // start-server forks a daemon that inherits our pipes; its output goes to a log, so read until the launcher exits, not EOF.
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw;
        }
        lock (stdout) lock (stderr) return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAdbAsync("kill-server").ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            TestContext.Progress.WriteLine($"could not stop the private adb server on port {Port}: {e.Message}");
        }
    }

    private static int _nextInRange = -1;

    /// <summary>
    /// A loopback port no adb server listens on, for a server of this process's own. Not bind(0): the kernel can hand
    /// the same free port to two test assemblies running in parallel before either starts its server, and then
    /// `start-server` succeeds against the other's server and one `kill-server` stops both. Each process draws from its
    /// own range instead, and skips a port that is in use.
    /// </summary>
    public static int UnusedPort()
    {
        var rangeStart = 20000 + Environment.ProcessId % 1500 * 20;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = rangeStart + (int)((uint)Interlocked.Increment(ref _nextInRange) % 20);
            if (IsFree(port)) return port;
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
