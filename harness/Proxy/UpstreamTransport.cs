using System.Net.Security;
using System.Net.Sockets;

namespace Harness.Proxy;

/// <summary>A connected (and, for https, TLS-established) socket to an origin, before any HTTP runs over it.</summary>
internal sealed class UpstreamTransport(string host, int port, bool tls, Socket socket, Stream stream, SslApplicationProtocol alpn)
{
    public string Host { get; } = host;
    public int Port { get; } = port;
    public bool Tls { get; } = tls;
    public Socket Socket { get; } = socket;
    public Stream Stream { get; } = stream;

    /// <summary>What the origin chose in ALPN (default when it chose nothing or there was no TLS).</summary>
    public SslApplicationProtocol Alpn { get; } = alpn;

    public bool IsHttp2 => Alpn == SslApplicationProtocol.Http2;

    /// <summary>Connect within <see cref="InterceptingProxyOptions.UpstreamConnectTimeout"/>, offering <paramref name="alpn"/> over TLS.</summary>
    public static async Task<UpstreamTransport> ConnectAsync(string host, int port, bool tls, List<SslApplicationProtocol> alpn, InterceptingProxyOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.UpstreamConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // connect-to changes where we connect, never the name TLS asks for and verifies.
            var (address, addressPort) = options.UpstreamAddressFor(host, port);
            await socket.ConnectAsync(address, addressPort, timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (!tls) return new UpstreamTransport(host, port, tls, socket, stream, default);
            // Whole bursts per receive call instead of one per TLS record (see ReadAheadStream).
            var ssl = new SslStream(new ReadAheadStream(stream), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host.Trim('[', ']'),
                ApplicationProtocols = alpn,
                RemoteCertificateValidationCallback = options.UpstreamCertificateValidation,
            }, timeout.Token).ConfigureAwait(false);
            return new UpstreamTransport(host, port, tls, socket, ssl, ssl.NegotiatedApplicationProtocol);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"connecting to {host}:{port} took longer than {options.UpstreamConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];
    public static readonly List<SslApplicationProtocol> Http2OrHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
}
