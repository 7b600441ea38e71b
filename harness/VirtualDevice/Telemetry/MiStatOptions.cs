using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>Settings of a <see cref="MiStatClient"/>. The path and field names are not in the public record (L).</summary>
public sealed record MiStatOptions
{
    /// <summary>The app id the vendor's SDK is initialised with.</summary>
    public required string AppId { get; init; }

    public required string PackageName { get; init; }

    /// <summary>data.mistat.intl.xiaomi.com, or a regional host (data.mistat.india.xiaomi.com, data.mistat.rus.xiaomi.com).</summary>
    public string Host { get; init; } = VirtualInternetHosts.MiStat;

    public string Path { get; init; } = "/mistats/v3";

    public string Region { get; init; } = "IN";

    public string UserAgent { get; init; } = "Dalvik/2.1.0 (Linux; U; Android 9; Redmi Note 8 MIUI/V11.0.3.0.PCOINXM)";

    public AppNetworkPolicy Network { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public Uri UploadUrl => new($"https://{Host}{Path}");
}
