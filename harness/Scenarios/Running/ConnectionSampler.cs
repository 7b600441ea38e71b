using System.Net;
using Harness.Adb;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Samples /proc/net/tcp and /proc/net/tcp6 (as root) while a case runs. Every established connection of the
/// browser's uid that does not go to the proxy's port on loopback is one no captured flow can account for: the app
/// went around the proxy. Sampling is periodic on purpose: the kernel table is a snapshot, there is no event to wait on.
/// </summary>
internal sealed class ConnectionSampler : IAsyncDisposable
{
    private readonly AdbClient _adb;
    private readonly string _serial;
    private readonly RootAccess _root;
    private readonly int _proxyPort;
    private readonly int? _uid;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly Dictionary<IPEndPoint, UnaccountedConnection> _seen = new();
    private readonly Task _loop;
    private string? _problem;

    public ConnectionSampler(AdbClient adb, string serial, RootAccess root, int proxyPort, int? uid, TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        _adb = adb;
        _serial = serial;
        _root = root;
        _proxyPort = proxyPort;
        _uid = uid;
        _time = time;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _loop = RunAsync(interval, _stop.Token);
    }

    /// <summary>Why sampling stopped early, if it did (the case then has no bypass detection for its remainder).</summary>
    public string? Problem => _problem;

    private async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            do
            {
                await SampleAsync(ct).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _problem = $"sampling /proc/net/tcp stopped: {e.Message}";
        }
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        var at = _time.GetUtcNow();
        // One round trip for both tables: the parser skips each table's "sl" header line.
        var result = await _adb.ShellAsync(_serial, _root.Wrap("cat /proc/net/tcp /proc/net/tcp6"), ct).ConfigureAwait(false);
        if (result.Stdout.Length == 0) return;
        foreach (var entry in ProcNetTcpParser.Parse(result.Stdout, "/proc/net/tcp*"))
        {
            if (!IsBypass(entry, _proxyPort, _uid)) continue;
            lock (_seen) _seen.TryAdd(entry.Remote, new UnaccountedConnection(entry.Remote, at, $"uid {entry.Uid}, seen in /proc/net/tcp*"));
        }
    }

    /// <summary>Established, of the app (when its uid is known), and not to the proxy port on loopback.</summary>
    internal static bool IsBypass(ProcNetTcpEntry entry, int proxyPort, int? uid)
    {
        if (!entry.IsEstablished) return false;
        if (uid is { } u && entry.Uid != u) return false;
        var address = entry.Remote.Address.IsIPv4MappedToIPv6 ? entry.Remote.Address.MapToIPv4() : entry.Remote.Address;
        return !(IPAddress.IsLoopback(address) && entry.Remote.Port == proxyPort);
    }

    public async Task<IReadOnlyList<UnaccountedConnection>> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_seen) return _seen.Values.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
