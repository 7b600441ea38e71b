using System.Net;
using Harness.Adb;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Samples /proc/net/tcp, tcp6, udp and udp6 while a case runs (as root when the phone is rooted; without root the
/// shell may read them up to Android 9, and from Android 10 on SELinux refuses, so an unrooted phone then sees nothing).
/// What no captured flow can account for:
/// <list type="bullet">
/// <item>an established TCP connection of the browser's uid that does not go to the proxy's port on loopback (the app
/// went around the proxy; on port 853 that is DNS-over-TLS);</item>
/// <item>a connected UDP socket of the browser's uid to port 443 (QUIC, HTTP/3: no HTTP proxy carries it) or 853
/// (DNS-over-QUIC). Chromium's QUIC sockets are connected, so their peer is in the table; a socket that only uses
/// sendto shows no peer and cannot be told apart;</item>
/// <item>a TCP 853 connection of the system resolver (netd, uid 0): Private DNS was not off after all.</item>
/// </list>
/// UDP 443 of a uid whose QUIC the session drops (<see cref="QuicBlock"/>) cannot have left the phone: it is kept apart
/// (<see cref="StopAsync"/>'s DroppedQuic) so the case can count it only when the block turns out to be gone.
/// Sampling is periodic on purpose: the kernel table is a snapshot, there is no event to wait on.
/// </summary>
internal sealed class ConnectionSampler : IAsyncDisposable
{
    /// <summary>The system resolver (netd) runs as root: its DNS-over-TLS sockets belong to uid 0.</summary>
    private const int SystemResolverUid = 0;

    private const string Tables = "/proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6";

    private readonly AdbClient _adb;
    private readonly string _serial;
    private readonly RootAccess? _root;
    private readonly int _proxyPort;
    private readonly int? _uid;
    private readonly Func<int, bool> _quicBlocked;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly Dictionary<(SocketTransport, IPEndPoint), UnaccountedConnection> _seen = new();
    private readonly Dictionary<IPEndPoint, UnaccountedConnection> _droppedQuic = new();
    private readonly Task _loop;
    private string? _problem;

    public ConnectionSampler(AdbClient adb, string serial, RootAccess? root, int proxyPort, int? uid, Func<int, bool> quicBlocked, TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        _adb = adb;
        _serial = serial;
        _root = root;
        _proxyPort = proxyPort;
        _uid = uid;
        _quicBlocked = quicBlocked;
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
            _problem = $"sampling /proc/net/tcp* and udp* stopped: {e.Message}";
        }
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        var at = _time.GetUtcNow();
        // One round trip for the four tables: the parser tells them apart by their header lines.
        var command = "cat " + Tables;
        var result = await _adb.ShellAsync(_serial, _root is null ? command : _root.Wrap(command), ct).ConfigureAwait(false);
        if (result.Stdout.Length == 0) return;
        foreach (var entry in ProcNetTcpParser.Parse(result.Stdout, "/proc/net/{tcp,udp}*"))
        {
            if (!IsBypass(entry, _proxyPort, _uid)) continue;
            var table = entry.Transport == SocketTransport.Udp ? "/proc/net/udp*" : "/proc/net/tcp*";
            var connection = new UnaccountedConnection(entry.Remote, at, $"uid {entry.Uid}, seen in {table}", entry.Transport);
            lock (_seen)
            {
                if (connection.Kind == "quic-connection" && _quicBlocked(entry.Uid))
                    _droppedQuic.TryAdd(entry.Remote, connection with { Detail = connection.Detail + $", while UDP {QuicBlock.Port} of uid {entry.Uid} was dropped" });
                else
                    _seen.TryAdd((entry.Transport, entry.Remote), connection);
            }
        }
    }

    /// <summary>
    /// TCP: established, of the app (when its uid is known), and not to the proxy port on loopback; TCP 853 also of
    /// the system resolver. UDP: connected, of the app, to 443 (QUIC) or 853 (DNS-over-QUIC).
    /// </summary>
    internal static bool IsBypass(ProcNetTcpEntry entry, int proxyPort, int? uid)
    {
        if (!entry.IsEstablished) return false;
        var ours = uid is not { } u || entry.Uid == u;
        if (entry.Transport == SocketTransport.Udp)
            return ours && entry.Remote.Port is UnaccountedConnection.HttpsPort or UnaccountedConnection.DnsOverTlsPort;
        if (!ours && !(entry.Uid == SystemResolverUid && entry.Remote.Port == UnaccountedConnection.DnsOverTlsPort)) return false;
        var address = entry.Remote.Address.IsIPv4MappedToIPv6 ? entry.Remote.Address.MapToIPv4() : entry.Remote.Address;
        return !(IPAddress.IsLoopback(address) && entry.Remote.Port == proxyPort);
    }

    /// <summary>What went past the proxy, and the QUIC attempts the session's UDP 443 block dropped.</summary>
    public async Task<(IReadOnlyList<UnaccountedConnection> Unaccounted, IReadOnlyList<UnaccountedConnection> DroppedQuic)> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_seen) return (_seen.Values.ToList(), _droppedQuic.Values.ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
