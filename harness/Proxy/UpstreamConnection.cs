using System.Net.Security;
using System.Net.Sockets;
using Harness.Proxy.Http1;

namespace Harness.Proxy;

/// <summary>One keep-alive connection from the proxy to an origin, reused while the client's connection lasts.</summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private UpstreamConnection(string host, int port, bool tls, Socket socket, Stream stream, Http1Limits limits)
    {
        Host = host;
        Port = port;
        Tls = tls;
        Socket = socket;
        Stream = stream;
        Reader = new Http1EventReader(stream, new Http1ResponseParser(limits));
    }

    public string Host { get; }
    public int Port { get; }
    public bool Tls { get; }
    public Socket Socket { get; }
    public Stream Stream { get; }
    public Http1EventReader Reader { get; }
    public Http1ResponseParser Parser => (Http1ResponseParser)Reader.Parser;

    public bool Matches(string host, int port, bool tls) =>
        Port == port && Tls == tls && Host.Equals(host, StringComparison.OrdinalIgnoreCase) && !Reader.Eof && !Parser.IsDead && !Parser.IsPaused;

    public static async Task<UpstreamConnection> ConnectAsync(string host, int port, bool tls, InterceptingProxyOptions options, CancellationToken cancellationToken)
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
            if (tls)
            {
                // Whole bursts per receive call instead of one per TLS record (see ReadAheadStream).
                var ssl = new SslStream(new ReadAheadStream(stream), leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host.Trim('[', ']'),
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                    RemoteCertificateValidationCallback = options.UpstreamCertificateValidation,
                }, timeout.Token).ConfigureAwait(false);
                stream = ssl;
            }
            return new UpstreamConnection(host, port, tls, socket, stream, options.Http1Limits);
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

    public async ValueTask DisposeAsync()
    {
        try { await Stream.DisposeAsync().ConfigureAwait(false); }
        catch (IOException) { /* already broken */ }
        Socket.Dispose();
    }
}
