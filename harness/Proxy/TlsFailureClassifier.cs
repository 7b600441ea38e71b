using Harness.Flows;

namespace Harness.Proxy;

/// <summary>
/// Turns a failed server-side handshake into mitmproxy's per-host causes. .NET does not expose the TLS alert,
/// but on Linux the OpenSSL error text travels in the inner exceptions ("tlsv1 alert unknown ca"), so we read the chain.
/// </summary>
public static class TlsFailureClassifier
{
    public static TlsOutcome Classify(Exception exception, out string detail)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException) messages.Add(e.Message);
        detail = string.Join(" <- ", messages);
        var text = detail.ToLowerInvariant();
        if (text.Contains("unknown ca") || text.Contains("bad certificate") || text.Contains("certificate unknown") ||
            text.Contains("unknown_ca") || text.Contains("bad_certificate") || text.Contains("certificate_unknown") ||
            text.Contains("certificate expired") || text.Contains("unsupported certificate"))
            return TlsOutcome.ClientRejectedUntrusted;
        if (text.Contains("unsupported protocol") || text.Contains("protocol version") || text.Contains("no shared cipher") ||
            text.Contains("wrong version number") || text.Contains("no protocols available") || text.Contains("version too low"))
            return TlsOutcome.VersionMismatch;
        if (text.Contains("unexpected eof") || text.Contains("0 bytes") || text.Contains("connection reset") ||
            text.Contains("broken pipe") || text.Contains("forcibly closed") || text.Contains("eof"))
            return TlsOutcome.ClientClosedDuringHandshake;
        return TlsOutcome.Failed;
    }
}
