using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.VirtualDevice.Network.Http;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>
/// The local internet of a virtual rack: one listener on 127.0.0.1 that answers as any host name,
/// TLS (certificate chosen by SNI, issued by the rack's root) or plain HTTP (sniffed from the first byte).
/// Everything received is recorded so tests can see what reached an origin directly.
/// The phone reaches it through <see cref="ConnectAsync"/>; a harness-side proxy that must forward
/// upstream connects to <see cref="EndPoint"/> with the real host name as SNI.
/// </summary>
public sealed class VirtualInternet : IVirtualInternet, IAsyncDisposable
{
    private readonly VirtualInternetAuthority _authority;
    private readonly bool _ownsAuthority;
    private readonly VirtualInternetOptions _options;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<VirtualInternetRequest> _received = [];
    private readonly List<(Func<IReadOnlyList<VirtualInternetRequest>, bool> Condition, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;
    private long _sequence;

    private VirtualInternet(VirtualInternetAuthority authority, bool ownsAuthority, VirtualInternetOptions options)
    {
        _authority = authority;
        _ownsAuthority = ownsAuthority;
        _options = options;
        _listener = new TcpListener(options.ListenAddress, 0);
    }

    public VirtualOriginRouter Router { get; } = new();

    /// <summary>Where the origins listen (<see cref="VirtualInternetOptions.ListenAddress"/>, a free port).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public X509Certificate2 RootCertificate => _authority.RootCertificate;

    public VirtualInternetAuthority Authority => _authority;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<VirtualInternetRequest> ReceivedRequests
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Starts a virtual internet. Pass a shared authority so all phones of a rack trust the same root.</summary>
    public static VirtualInternet Start(VirtualInternetAuthority? authority = null, VirtualInternetOptions? options = null)
    {
        var internet = new VirtualInternet(authority ?? VirtualInternetAuthority.Create(), authority is null, options ?? new VirtualInternetOptions());
        internet._listener.Start();
        internet._acceptLoop = internet.AcceptLoopAsync();
        return internet;
    }

    /// <summary>
    /// A stable address from 198.18.0.0/15 (RFC 2544 benchmarking space, never routed publicly) per host
    /// name; an IP literal resolves to itself. Only a label: connections always go to loopback.
    /// </summary>
    public IPAddress ResolveHost(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return literal;
        }

        var hash = 2166136261u;
        foreach (var c in host.ToLowerInvariant())
        {
            hash = (hash ^ c) * 16777619u;
        }

        var offset = (hash % 131_070u) + 1u;
        return new IPAddress(new byte[] { 198, (byte)(18 + (offset >> 16)), (byte)(offset >> 8), (byte)offset });
    }

    public async Task<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(EndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the requests received so far.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyList<VirtualInternetRequest>, bool> condition, CancellationToken cancellationToken)
    {
        TaskCompletionSource signal;
        lock (_received)
        {
            if (condition(_received))
            {
                return Task.CompletedTask;
            }

            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, signal));
        }

        return signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for (or returns an already received) request matching <paramref name="predicate"/>.</summary>
    public async Task<VirtualInternetRequest> WaitForRequestAsync(Func<VirtualInternetRequest, bool> predicate, CancellationToken cancellationToken)
    {
        await WaitUntilAsync(all => all.Any(predicate), cancellationToken).ConfigureAwait(false);
        return ReceivedRequests.First(predicate);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] connections;
        lock (_connections)
        {
            connections = _connections.ToArray();
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
        _stopping.Dispose();
        if (_ownsAuthority)
        {
            _authority.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = ServeAsync(socket);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        var token = _stopping.Token;
        try
        {
            using (socket)
            {
                socket.NoDelay = true;
                var first = new byte[1];
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
                idle.CancelAfter(_options.IdleTimeout);
                if (await socket.ReceiveAsync(first, SocketFlags.Peek, idle.Token).ConfigureAwait(false) == 0)
                {
                    return;
                }

                await using var network = new NetworkStream(socket, ownsSocket: false);
                if (first[0] == 0x16)
                {
                    string? serverName = null;
                    await using var tls = new SslStream(network, leaveInnerStreamOpen: true);
                    await tls.AuthenticateAsServerAsync(
                        (_, hello, _, _) =>
                        {
                            serverName = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
                            return ValueTask.FromResult(new SslServerAuthenticationOptions
                            {
                                ServerCertificateContext = _authority.ServerContextFor(serverName ?? "localhost"),
                                ApplicationProtocols = [SslApplicationProtocol.Http11],
                                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                            });
                        },
                        null,
                        idle.Token).ConfigureAwait(false);
                    await ServeHttpAsync(tls, true, serverName, token).ConfigureAwait(false);
                }
                else
                {
                    await ServeHttpAsync(network, false, null, token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
                                      or ObjectDisposedException or System.Security.Authentication.AuthenticationException
                                      or Http1ProtocolException)
        {
            // A client that gives up (untrusted root, pinning, timeout) is normal traffic for an origin.
        }
    }

    private async Task ServeHttpAsync(Stream stream, bool tls, string? serverName, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        var carried = Array.Empty<byte>();
        while (!token.IsCancellationRequested)
        {
            var parser = new Http1MessageParser(Http1MessageKind.Request);
            var used = parser.Feed(carried);
            carried = carried[used..];
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
            idle.CancelAfter(_options.IdleTimeout);
            while (!parser.IsComplete)
            {
                var read = await stream.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    if (!parser.IsIdle)
                    {
                        parser.FeedEndOfStream();
                    }

                    return;
                }

                var consumed = parser.Feed(buffer.AsSpan(0, read));
                carried = buffer[consumed..read];
            }

            var message = parser.Message!;
            var request = Record(message, tls, serverName);
            var response = Router.Route(request);
            if (_options.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.ResponseDelay, _options.TimeProvider, token).ConfigureAwait(false);
            }

            var keepAlive = message.KeepsConnectionAlive;
            await stream.WriteAsync(Serialize(response, message.Method == "HEAD", keepAlive), token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
            if (!keepAlive)
            {
                return;
            }
        }
    }

    private VirtualInternetRequest Record(Http1Message message, bool tls, string? serverName)
    {
        var hostHeader = message.Header("Host");
        if (hostHeader is null && Uri.TryCreate(message.Target, UriKind.Absolute, out var absolute))
        {
            hostHeader = absolute.Host;
        }

        var host = StripPort(hostHeader) ?? serverName ?? "localhost";
        var request = new VirtualInternetRequest(
            Interlocked.Increment(ref _sequence),
            _options.TimeProvider.GetUtcNow(),
            tls,
            serverName,
            host,
            message.Method,
            message.Target,
            message.Headers,
            message.Body);
        List<TaskCompletionSource> fulfilled = [];
        lock (_received)
        {
            _received.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_received))
                {
                    fulfilled.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in fulfilled)
        {
            signal.TrySetResult();
        }

        return request;
    }

    private static string? StripPort(string? host)
    {
        if (host is null)
        {
            return null;
        }

        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[1..close];
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    private static byte[] Serialize(VirtualOriginResponse response, bool head, bool keepAlive)
    {
        var text = new StringBuilder()
            .Append("HTTP/1.1 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(response.ReasonPhrase).Append("\r\n")
            .Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Server: virtual-origin\r\n");
        if (response.ContentType is not null)
        {
            text.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        }

        foreach (var (name, value) in response.ExtraHeaders)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (response.StatusCode != 204 && response.StatusCode != 304)
        {
            text.Append("Content-Length: ").Append(response.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        text.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n").Append("\r\n");
        var headBytes = Encoding.Latin1.GetBytes(text.ToString());
        if (head || response.StatusCode is 204 or 304)
        {
            return headBytes;
        }

        return [.. headBytes, .. response.Body];
    }
}
