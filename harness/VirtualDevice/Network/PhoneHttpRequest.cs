namespace Harness.VirtualDevice.Network;

/// <summary>One HTTP request an app on the phone makes.</summary>
public sealed record PhoneHttpRequest
{
    public PhoneHttpRequest(string method, Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"only absolute http/https URLs can be requested, not '{uri}'", nameof(uri));
        }

        Method = method;
        Uri = uri;
    }

    public string Method { get; }

    public Uri Uri { get; }

    /// <summary>Request headers in sending order (the caller sets User-Agent, Accept, ...). Host is added when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body, or null for none (Content-Length is added for a non-null body).</summary>
    public byte[]? Body { get; init; }

    /// <summary>Gzip the body and send <c>Content-Encoding: gzip</c>.</summary>
    public bool GzipBody { get; init; }

    /// <summary>The app opens its own socket and ignores the system proxy.</summary>
    public bool BypassProxy { get; init; }

    /// <summary>The app's network-security config trusts user-installed CAs (targetSdk &lt; 24 or an explicit opt-in).</summary>
    public bool TrustUserCertificates { get; init; }

    /// <summary>Certificate pins the app enforces (OkHttp CertificatePinner style), or null for none.</summary>
    public CertificatePinner? Pinner { get; init; }

    /// <summary>
    /// HTTPS goes over QUIC (HTTP/3) first, as Cronet does for hosts it has a QUIC hint for: a UDP socket to port 443
    /// that ignores the Java-level http_proxy. When the kernel refuses the datagram (a filter rule drops it: EPERM) the
    /// request falls back to TCP, through the proxy when one is set.
    /// </summary>
    public bool QuicHint { get; init; }

    /// <summary>The Linux uid of the app, shown in /proc/net/tcp.</summary>
    public int AppUid { get; init; } = 10_000;

    public static PhoneHttpRequest Get(string url) => new("GET", new Uri(url));

    public static PhoneHttpRequest Post(string url, byte[] body) => new("POST", new Uri(url)) { Body = body };
}
