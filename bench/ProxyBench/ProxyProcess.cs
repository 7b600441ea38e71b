using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProxyBench;

/// <summary>A proxy under test running as its own process, stopped with SIGTERM.</summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ProxyProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int ProcessId => _process.Id;
    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<ProxyProcess> StartAsync(string file, IEnumerable<string> arguments, int port, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{Path.GetFileName(file)}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Ready when the port accepts connections. mitmdump (Python) takes seconds to start, many more on a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new ProxyProcess(process, port);
            }
            catch (SocketException)
            {
                if (process.HasExited) throw new InvalidOperationException($"{file} exited with {process.ExitCode}");
                await Task.Delay(100);
            }
        }
        process.Kill(true);
        throw new TimeoutException($"{file} did not listen on {port}");
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public long PeakRssMb => File.Exists($"/proc/{_process.Id}/status")
        ? long.Parse(File.ReadAllLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("VmHWM:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024
        : -1;

    /// <summary>CPU time (user + system) the proxy process has used so far. Per request it is the cost that other load on the machine distorts least.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
            if (!await Task.Run(() => _process.WaitForExit(TimeSpan.FromSeconds(20)))) _process.Kill(true);
        }
        _process.Dispose();
    }
}
