using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>Settings of a <see cref="SensorsSdk"/> (defaults: the SDK of 2020 as Mint used it).</summary>
public sealed record SensorsSdkOptions
{
    /// <summary>The Sensors project, e.g. "global_browser_mini" for Mint.</summary>
    public required string Project { get; init; }

    /// <summary>The "r" query parameter (the vendor's region code).</summary>
    public string Region { get; init; } = "IN";

    public string ServerHost { get; init; } = VirtualInternetHosts.SensorsAnalytics;

    public string LibVersion { get; init; } = "4.0.4";

    /// <summary>The nominal flush interval; the SDK default is 15 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Scales <see cref="FlushInterval"/> (tests set a small factor).</summary>
    public double TimeFactor { get; init; } = 1.0;

    /// <summary>Buffered events that trigger a flush at once.</summary>
    public int FlushBulkSize { get; init; } = 100;

    public int MaxEventsPerPost { get; init; } = 50;

    /// <summary>The SDK posts with HttpURLConnection, so the default Dalvik agent is sent.</summary>
    public string UserAgent { get; init; } = "Dalvik/2.1.0 (Linux; U; Android 9; Redmi Note 8 MIUI/V11.0.3.0.PCOINXM)";

    public AppNetworkPolicy Network { get; init; } = new();

    /// <summary>When set, asked before every request instead of <see cref="Network"/> (faults switched on at run time).</summary>
    public Func<AppNetworkPolicy>? NetworkPolicy { get; init; }

    public AppNetworkPolicy CurrentNetwork => NetworkPolicy?.Invoke() ?? Network;

    public SensorsEncoderOptions Encoder { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Source of _track_id values; null for a fresh unseeded generator.</summary>
    public Random? Random { get; init; }

    public Uri UploadUrl => new($"https://{ServerHost}/sa?project={Uri.EscapeDataString(Project)}&r={Uri.EscapeDataString(Region)}");

    /// <summary>Where the SDK reads its remote config (the SDK's default, or a build's own).</summary>
    public string ConfigPath { get; init; } = "/config/Android.conf";

    public Uri ConfigUrl => new($"https://{ServerHost}{ConfigPath}?project={Uri.EscapeDataString(Project)}");

    public TimeSpan EffectiveFlushInterval => FlushInterval * TimeFactor;
}
