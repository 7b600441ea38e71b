using System.Net.Sockets;
using Harness.Proxy.Http2;
using Harness.Proxy.Http2Proxy;

namespace Harness.Proxy;

/// <summary>HTTP/2 toward the client: after ALPN h2, or h2c with prior knowledge on a plain connection.</summary>
internal sealed partial class ClientConnection
{
    /// <summary>
    /// A plain-text connection (top level or inside a CONNECT tunnel): the HTTP/2 connection preface means h2c with prior
    /// knowledge, anything else is HTTP/1.1. Reads until the first bytes decide it.
    /// </summary>
    private async Task<int> ServePlainAsync(Stream client, byte[] first, string? tunnelHost, int tunnelPort, CancellationToken ct)
    {
        var received = first;
        while (Options.Http2 && Http2Preface.Match(received) == Http2PrefaceMatch.NeedMoreData)
        {
            var buffer = new byte[Http2Preface.Length];
            int n;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                idle.CancelAfter(Options.ClientIdleTimeout);
                try { n = await client.ReadAsync(buffer, idle.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return 0; }
            }
            if (n == 0) break;
            received = [.. received, .. buffer.AsSpan(0, n)];
        }
        if (Options.Http2 && Http2Preface.Match(received) == Http2PrefaceMatch.Preface)
            return await ServeHttp2Async(client, received, "http", tunnelHost, tunnelPort, ct).ConfigureAwait(false);
        return await ServeHttpAsync(received.Length == 0 ? client : new PrefixedStream(received, client), "http", tunnelHost, tunnelPort, ct).ConfigureAwait(false);
    }

    /// <summary>Serve HTTP/2 streams until the client closes the connection. Returns the number of streams served.</summary>
    private async Task<int> ServeHttp2Async(Stream client, byte[] alreadyReceived, string scheme, string? tunnelHost, int tunnelPort, CancellationToken ct)
    {
        await using var session = new Http2ClientSession(proxy, _client, client, scheme, tunnelHost, tunnelPort, ct);
        try
        {
            await session.RunAsync(alreadyReceived).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The connection broke; every stream recorded its own flow.
        }
        return session.StreamsServed;
    }
}
