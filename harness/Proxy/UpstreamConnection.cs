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

    public static async Task<UpstreamConnection> ConnectAsync(string host, int port, bool tls, InterceptingProxyOptions options, CancellationToken cancellationToken) =>
        Over(await UpstreamTransport.ConnectAsync(host, port, tls, UpstreamTransport.Http11Only, options, cancellationToken).ConfigureAwait(false), options);

    /// <summary>HTTP/1.1 over an established transport (the origin chose http/1.1 or nothing in ALPN).</summary>
    public static UpstreamConnection Over(UpstreamTransport transport, InterceptingProxyOptions options) =>
        new(transport.Host, transport.Port, transport.Tls, transport.Socket, transport.Stream, options.Http1Limits);

    public async ValueTask DisposeAsync()
    {
        try { await Stream.DisposeAsync().ConfigureAwait(false); }
        catch (IOException) { /* already broken */ }
        Socket.Dispose();
    }
}
