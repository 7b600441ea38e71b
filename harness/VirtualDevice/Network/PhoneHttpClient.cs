using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.VirtualDevice.Network.Http;

namespace Harness.VirtualDevice.Network;

/// <summary>
/// The phone's HTTP/1.1 stack (what OkHttp/Chromium's net stack do on a real phone, reduced to what the
/// virtual browsers need). Honours <c>settings global http_proxy</c> exactly as a phone does: a proxy on
/// localhost is the phone's own loopback (reached only via <c>adb reverse</c>), any other proxy host is
/// unreachable, no proxy means a direct connection through the virtual internet. TLS trusts the system CA
/// store, the user store only on request, and enforces certificate pins after the handshake like OkHttp.
/// One instance per phone: it hands out the phone's local ports and socket inodes.
/// </summary>
public sealed class PhoneHttpClient
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly IPhoneNetworkEnvironment _environment;
    private readonly PhoneHttpClientOptions _options;
    private int _nextLocalPort;
    private long _nextInode = 48_213;

    public PhoneHttpClient(IPhoneNetworkEnvironment environment, PhoneHttpClientOptions? options = null)
    {
        _environment = environment;
        _options = options ?? new PhoneHttpClientOptions();
        _nextLocalPort = _options.FirstEphemeralPort;
    }

    /// <summary>How long Chromium keeps an idle QUIC session (and its UDP socket) open.</summary>
    public static readonly TimeSpan QuicIdleTimeout = TimeSpan.FromSeconds(30);

    public async Task<PhoneHttpResponse> SendAsync(PhoneHttpRequest request, CancellationToken cancellationToken)
    {
        if (request.QuicHint && request.Uri.Scheme == Uri.UriSchemeHttps && SendOverQuic(request) is { } quic) return quic;
        var proxy = request.BypassProxy
            ? PhoneProxySetting.None
            : PhoneProxySetting.Parse(_environment.GetGlobalSetting("http_proxy"));
        var host = request.Uri.IdnHost;
        var port = request.Uri.Port;
        var https = request.Uri.Scheme == Uri.UriSchemeHttps;

        var (transport, connection) = await ConnectAsync(proxy, host, port, request.AppUid, cancellationToken).ConfigureAwait(false);
        _environment.RegisterConnection(connection);
        using var exchangeBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        exchangeBudget.CancelAfter(_options.ResponseTimeout);
        var token = exchangeBudget.Token;

        // Streams handed in by the environment may ignore cancellation; closing them always unblocks.
        await using var abortOnCancel = token.Register(transport.Dispose).ConfigureAwait(false);
        Stream stream = transport;
        try
        {
            if (https && proxy.IsSet)
            {
                await OpenTunnelAsync(transport, host, port, request, token).ConfigureAwait(false);
            }

            if (https)
            {
                stream = await HandshakeAsync(transport, host, request, token).ConfigureAwait(false);
            }

            var target = !https && proxy.IsSet ? request.Uri.AbsoluteUri : request.Uri.PathAndQuery;
            var body = request.Body;
            var headers = request.Headers.ToList();
            if (body is not null && request.GzipBody)
            {
                body = Gzip(body);
                headers.Add(new("Content-Encoding", "gzip"));
            }

            var bytes = Http1RequestSerializer.Serialize(
                request.Method, target, HostHeader(request.Uri), headers, body ?? [], body is not null || request.Method is "POST" or "PUT");
            await stream.WriteAsync(bytes, token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);

            var message = await ReadMessageAsync(stream, request.Method == "HEAD", token).ConfigureAwait(false);
            var responseBody = message.Body;
            if (message.Header("Content-Encoding") is { } encoding && encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                responseBody = Gunzip(responseBody);
            }

            return new PhoneHttpResponse(
                message.StatusCode,
                message.ReasonPhrase,
                message.Headers,
                responseBody,
                proxy.IsSet ? PhoneHttpRoute.Proxy : PhoneHttpRoute.Direct);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PhoneNetworkException(
                PhoneNetworkFailure.Timeout,
                $"java.net.SocketTimeoutException: timeout ({request.Method} {request.Uri} after {_options.ResponseTimeout.TotalSeconds:0.#} s)");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException
                                  && e is not PhoneNetworkException && !token.IsCancellationRequested)
        {
            throw new PhoneNetworkException(
                PhoneNetworkFailure.ConnectionReset,
                $"java.net.SocketException: Connection reset ({request.Method} {request.Uri}): {e.Message}",
                e);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The caller gave up; the aborted socket's I/O error is only a symptom of that.
            throw new OperationCanceledException($"{request.Method} {request.Uri} was cancelled", e, cancellationToken);
        }
        catch (Exception) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PhoneNetworkException(
                PhoneNetworkFailure.Timeout,
                $"java.net.SocketTimeoutException: timeout ({request.Method} {request.Uri} after {_options.ResponseTimeout.TotalSeconds:0.#} s)");
        }
        finally
        {
            _environment.UnregisterConnection(connection);
            if (!ReferenceEquals(stream, transport))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// HTTP/3 to the host on UDP 443; null when the kernel dropped the datagram (EPERM), after which Chromium marks QUIC
    /// broken for the host and uses TCP. The virtual internet has no UDP: the host's answer is modelled, and what was
    /// sent reached no proxy, which is the point.
    /// </summary>
    private PhoneHttpResponse? SendOverQuic(PhoneHttpRequest request)
    {
        var remote = new IPEndPoint(_environment.Internet.ResolveHost(request.Uri.IdnHost), request.Uri.Port);
        // Chromium's UDP sockets take the peer's family: an IPv4 peer is listed in /proc/net/udp, not udp6.
        var local = new IPEndPoint(_options.DeviceAddress, Interlocked.Increment(ref _nextLocalPort) - 1);
        if (!_environment.SendUdp(local, remote, request.AppUid, QuicIdleTimeout)) return null;
        return new PhoneHttpResponse(200, "OK", [new("Content-Type", "application/json")], "{\"code\":0}"u8.ToArray(), PhoneHttpRoute.Quic);
    }

    private async Task<(Stream Transport, PhoneTcpConnection Connection)> ConnectAsync(
        PhoneProxySetting proxy, string host, int port, int uid, CancellationToken cancellationToken)
    {
        using var connectBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectBudget.CancelAfter(_options.ConnectTimeout);
        var localPort = Interlocked.Increment(ref _nextLocalPort) - 1;
        var inode = Interlocked.Increment(ref _nextInode);
        if (proxy.IsSet)
        {
            if (!proxy.IsLoopback)
            {
                // The virtual phone's Wi-Fi leads nowhere: only its own loopback exists.
                throw new PhoneNetworkException(
                    PhoneNetworkFailure.NetworkUnreachable,
                    $"java.net.ConnectException: failed to connect to {proxy.Host} (port {proxy.Port}): connect failed: ENETUNREACH (Network is unreachable)");
            }

            Stream stream;
            try
            {
                stream = await _environment.ConnectLocalTcpAsync(proxy.Port, connectBudget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PhoneNetworkException(
                    PhoneNetworkFailure.Timeout,
                    $"java.net.SocketTimeoutException: failed to connect to localhost/127.0.0.1 (port {proxy.Port}) after {_options.ConnectTimeout.TotalMilliseconds:0}ms");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new PhoneNetworkException(
                    PhoneNetworkFailure.ConnectionRefused,
                    $"java.net.ConnectException: failed to connect to localhost/127.0.0.1 (port {proxy.Port}) from /127.0.0.1 (port {localPort}): connect failed: ECONNREFUSED (Connection refused)",
                    e);
            }

            var loopback = new PhoneTcpConnection(
                inode,
                Endpoint(IPAddress.Loopback, localPort),
                Endpoint(IPAddress.Loopback, proxy.Port),
                PhoneTcpState.Established,
                uid,
                host);
            return (stream, loopback);
        }

        var remoteAddress = _environment.Internet.ResolveHost(host);
        Stream direct;
        try
        {
            direct = await _environment.Internet.ConnectAsync(host, port, connectBudget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PhoneNetworkException(
                PhoneNetworkFailure.Timeout,
                $"java.net.SocketTimeoutException: failed to connect to {host}/{remoteAddress} (port {port}) after {_options.ConnectTimeout.TotalMilliseconds:0}ms");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PhoneNetworkException(
                PhoneNetworkFailure.ConnectionRefused,
                $"java.net.ConnectException: failed to connect to {host}/{remoteAddress} (port {port}): connect failed: ECONNREFUSED (Connection refused)",
                e);
        }

        var outbound = new PhoneTcpConnection(
            inode,
            Endpoint(_options.DeviceAddress, localPort),
            Endpoint(remoteAddress, port),
            PhoneTcpState.Established,
            uid,
            host);
        return (direct, outbound);
    }

    private IPEndPoint Endpoint(IPAddress address, int port) =>
        new(_options.DualStackSockets && address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address, port);

    private static async Task OpenTunnelAsync(Stream transport, string host, int port, PhoneHttpRequest request, CancellationToken cancellationToken)
    {
        var authority = $"{host}:{port}";
        var connect = new StringBuilder()
            .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n")
            .Append("Proxy-Connection: keep-alive\r\n");
        var userAgent = request.Headers.FirstOrDefault(h => h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Value;
        if (userAgent is not null)
        {
            connect.Append("User-Agent: ").Append(userAgent).Append("\r\n");
        }

        connect.Append("\r\n");
        await transport.WriteAsync(Encoding.Latin1.GetBytes(connect.ToString()), cancellationToken).ConfigureAwait(false);
        await transport.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Byte by byte: nothing after the CONNECT response's head may be swallowed (it belongs to TLS).
        var parser = new Http1MessageParser(Http1MessageKind.Response, responseToHead: true);
        var one = new byte[1];
        while (!parser.IsComplete)
        {
            var read = await transport.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new PhoneNetworkException(
                    PhoneNetworkFailure.ProxyRejected,
                    $"java.io.IOException: unexpected end of stream on proxy while opening a tunnel to {authority}");
            }

            try
            {
                parser.Feed(one);
            }
            catch (Http1ProtocolException e)
            {
                throw new PhoneNetworkException(
                    PhoneNetworkFailure.ProxyRejected,
                    $"java.io.IOException: the proxy answered CONNECT {authority} with something that is not HTTP: {e.Message}",
                    e);
            }
        }

        var status = parser.Message!.StatusCode;
        if (status is < 200 or >= 300)
        {
            throw new PhoneNetworkException(
                PhoneNetworkFailure.ProxyRejected,
                $"java.io.IOException: Unexpected response code for CONNECT {authority}: {status} {parser.Message.ReasonPhrase}");
        }
    }

    private async Task<SslStream> HandshakeAsync(Stream transport, string host, PhoneHttpRequest request, CancellationToken cancellationToken)
    {
        var anchors = new X509Certificate2Collection();
        anchors.AddRange(_environment.SystemCaCertificates().ToArray());
        if (request.TrustUserCertificates)
        {
            anchors.AddRange(_environment.UserCaCertificates().ToArray());
        }

        PhoneNetworkException? rejection = null;
        var ssl = new SslStream(transport, leaveInnerStreamOpen: true);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                rejection = Evaluate(host, certificate, chain, errors, anchors, request.Pinner);
                return rejection is null;
            },
        };

        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException && !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw rejection is not null
                ? new PhoneNetworkException(rejection.Failure, rejection.Message, e)
                : new PhoneNetworkException(
                    PhoneNetworkFailure.TlsHandshakeFailed,
                    $"javax.net.ssl.SSLHandshakeException: handshake with {host} failed: {e.Message}",
                    e);
        }

        return ssl;
    }

    private static PhoneNetworkException? Evaluate(
        string host, X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors, X509Certificate2Collection anchors, CertificatePinner? pinner)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return new PhoneNetworkException(PhoneNetworkFailure.TlsHandshakeFailed, $"javax.net.ssl.SSLHandshakeException: {host} sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return new PhoneNetworkException(PhoneNetworkFailure.HostnameMismatch, $"javax.net.ssl.SSLPeerUnverifiedException: Hostname {host} not verified");
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        if (presentedChain is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presentedChain.ChainPolicy.ExtraStore);
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (anchors.Count == 0 || !chain.Build(leaf))
        {
            return new PhoneNetworkException(
                PhoneNetworkFailure.UntrustedCertificate,
                $"javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: Trust anchor for certification path not found ({host}, issuer {leaf.Issuer})");
        }

        // A pin-set in the network security config is checked by the trust manager inside the handshake, against
        // every certificate of the validated chain: the peer sees the handshake aborted, not a closed socket.
        if (pinner is not null && pinner.IsPinned(host)
            && !chain.ChainElements.Any(element => pinner.Accepts(host, element.Certificate)))
        {
            return new PhoneNetworkException(
                PhoneNetworkFailure.CertificatePinningFailure,
                $"javax.net.ssl.SSLPeerUnverifiedException: Certificate pinning failure!\n  Peer certificate chain:\n{string.Concat(chain.ChainElements.Select(e => $"    {CertificatePinner.PinOf(e.Certificate)}: {e.Certificate.Subject}\n"))}  Pinned certificates for {host}: none match");
        }

        return null;
    }

    private static async Task<Http1Message> ReadMessageAsync(Stream stream, bool head, CancellationToken cancellationToken)
    {
        var parser = new Http1MessageParser(Http1MessageKind.Response, head);
        var buffer = new byte[ReadBufferSize];
        try
        {
            while (!parser.IsComplete)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    parser.FeedEndOfStream();
                    break;
                }

                parser.Feed(buffer.AsSpan(0, read));
            }
        }
        catch (Http1ProtocolException e)
        {
            throw new PhoneNetworkException(PhoneNetworkFailure.ProtocolError, $"java.net.ProtocolException: {e.Message}", e);
        }

        return parser.Message!;
    }

    private static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
