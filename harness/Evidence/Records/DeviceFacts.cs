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
    /// <summary>For a phone reached over `adb connect`: the endpoint and the tunnel's latency and throughput; null on USB.</summary>
    public string? AdbTunnel { get; init; }
}
