using System.Net.Security;
using Harness.Flows;

namespace Harness.Proxy.Layers;

/// <summary>
/// The TLS interception decisions, without I/O: what a tunnel carries (from its first byte), what we offer in ALPN,
/// whether the negotiated protocol is HTTP/2, and what a failed client handshake becomes on the flow.
/// </summary>
internal static class TlsInterceptionPolicy
{
    private const byte TlsHandshakeRecord = 0x16;

    public static TunnelContent Classify(byte first) => first switch
    {
        TlsHandshakeRecord => TunnelContent.Tls,
        >= (byte)'A' and <= (byte)'Z' => TunnelContent.PlainHttp,
        _ => TunnelContent.Opaque,
    };

    /// <summary>h2 first when enabled: OpenSSL picks by the server's order, so a client offering h2 gets it, others http/1.1.</summary>
    public static List<SslApplicationProtocol> OfferedToClient(bool http2) => http2 ? UpstreamTransport.Http2OrHttp11 : UpstreamTransport.Http11Only;

    public static bool IsHttp2(SslApplicationProtocol negotiated) => negotiated == SslApplicationProtocol.Http2;

    /// <summary>A client handshake that failed or did not finish in time: the TLS outcome (pinning, unknown CA, version…) and the flow's error.</summary>
    public static (TlsOutcome Outcome, string Detail, FlowError Error) Failure(Exception e, bool timedOut, TimeSpan handshakeTimeout)
    {
        if (timedOut)
        {
            var detail = $"handshake not finished within {handshakeTimeout.TotalSeconds:0.#} s";
            return (TlsOutcome.Failed, detail, new FlowError(FlowErrorKind.Timeout, detail));
        }
        var outcome = TlsFailureClassifier.Classify(e, out var reason);
        return (outcome, reason, new FlowError(FlowErrorKind.TlsHandshake, reason));
    }
}
