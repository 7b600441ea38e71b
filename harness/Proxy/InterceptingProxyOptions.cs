using System.Net;
using System.Net.Security;
using Harness.Proxy.Addons;
using Harness.Proxy.Capture;
using Harness.Proxy.Certificates;
using Harness.Proxy.Http1;

namespace Harness.Proxy;

/// <summary>How an <see cref="InterceptingProxy"/> listens, where it sends requests, and what it records.</summary>
public sealed class InterceptingProxyOptions
{
    /// <summary>Loopback with a free port unless set. A non-loopback address needs <see cref="AllowRemote"/>.</summary>
    public IPEndPoint ListenEndPoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>An open proxy on a lab network is a hole: listening beyond loopback must be asked for.</summary>
    public bool AllowRemote { get; set; }

    public UpstreamMode UpstreamMode { get; set; } = UpstreamMode.Sinkhole;

    /// <summary>Required: the CA that signs leaves for interception.</summary>
    public CertificateAuthority? CertificateAuthority { get; set; }

    /// <summary>Where completed flows go; null keeps them only in the FlowCompleted event.</summary>
    public FlowStore? Store { get; set; }

    /// <summary>Bodies beyond this are kept truncated (the true size is recorded). Defaults to the store's limit or 4 MiB.</summary>
    public long? MaxStoredBodyBytes { get; set; }

    /// <summary>What Sinkhole mode answers; 200 with an empty body by default.</summary>
    public LocalResponse SinkholeResponse { get; set; } = LocalResponse.Empty();

    /// <summary>Hosts the proxy answers itself with a small HTML page (title and URL). Takes precedence over the upstream mode.</summary>
    public IEnumerable<string> CanaryHosts { get; set; } = [];

    /// <summary>Validation of upstream server certificates in Forward mode; null means the system trust store
    /// (<see cref="UpstreamTrust.SystemStorePlus"/> adds a lab's own roots).</summary>
    public RemoteCertificateValidationCallback? UpstreamCertificateValidation { get; set; }

    /// <summary>Upstream name resolution overrides (curl's --connect-to); the first rule that matches wins, none = DNS.</summary>
    public IReadOnlyList<ConnectToRule> ConnectTo { get; set; } = [];

    /// <summary>Where a request for <paramref name="host"/>:<paramref name="port"/> connects in Forward mode.</summary>
    public (string Host, int Port) UpstreamAddressFor(string host, int port) =>
        ConnectTo.FirstOrDefault(r => r.Matches(host, port)) is { } rule ? (rule.Address, rule.TargetPort) : (host.Trim('[', ']'), port);

    public TimeSpan ClientIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan UpstreamResponseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public Http1Limits Http1Limits { get; set; } = new();

    /// <summary>Speak HTTP/2 with clients that offer it in ALPN or send its preface in clear (h2c prior knowledge), and with
    /// origins that choose it; off means HTTP/1.1 only on both sides.</summary>
    public bool Http2 { get; set; } = true;

    /// <summary>Where flow timestamps come from (tests pass a fake clock).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The library user's addons, in order; they run after the BeforeRequest/BeforeResponse handlers and before
    /// the canary page and the sinkhole (so they may answer first), and see final flows before they are stored.</summary>
    public IList<ProxyAddon> Addons { get; } = [];
}
