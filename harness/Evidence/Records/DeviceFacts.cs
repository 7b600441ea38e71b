namespace Harness.Evidence.Records;

/// <summary>What we know about a phone at run time, stored under devices/&lt;serial&gt;/.</summary>
public sealed record DeviceFacts
{
    public required string Serial { get; init; }
    public string? Model { get; init; }
    /// <summary>Raw `getprop` output, kept verbatim.</summary>
    public string? GetpropSnapshot { get; init; }
    /// <summary>Package name → versionName (and code if known).</summary>
    public IReadOnlyDictionary<string, string> PackageVersions { get; init; } = new Dictionary<string, string>();
    /// <summary>Package name → signing certificate digest, when readable.</summary>
    public IReadOnlyDictionary<string, string> PackageSignatures { get; init; } = new Dictionary<string, string>();
    /// <summary>e.g. "rooted (su)", "not rooted", "unknown".</summary>
    public string RootState { get; init; } = "unknown";
    /// <summary>Where the proxy CA went: "system store", "user store (installed through Settings)", or "none (why)".</summary>
    public string? CaTrust { get; init; }
    /// <summary>What the phone's preparation could not cover; every case of the phone carries the same list.</summary>
    public IReadOnlyList<string> CoverageLimits { get; init; } = [];
    /// <summary>Where the phone's requests went: "forward" or "sinkhole", with the lab's connect-to rules and extra CAs.</summary>
    public string? Upstream { get; init; }
    /// <summary>Whether the browsers' outgoing UDP 443 (QUIC) was dropped for the session, for which uids, or why not.</summary>
    public string? QuicBlock { get; init; }
    /// <summary>Private DNS (DNS-over-TLS) as the session set it and what it was before.</summary>
    public string? PrivateDns { get; init; }
    /// <summary>Whether /proc/net/{tcp,udp}{,6} could be sampled (connections past the proxy), and how.</summary>
    public string? SocketTables { get; init; }
    /// <summary>Which identifiers apps see were read for the device-metadata check (IMEI, per-app ANDROID_ID, OAID), or why not.</summary>
    public string? Identifiers { get; init; }
    /// <summary>For a phone reached over `adb connect`: the endpoint and the tunnel's latency and throughput; null on USB.</summary>
    public string? AdbTunnel { get; init; }
}
