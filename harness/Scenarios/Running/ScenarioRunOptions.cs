using Harness.Browsers;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>How <see cref="ScenarioRunner"/> runs cases and where their results go.</summary>
public sealed class ScenarioRunOptions
{
    /// <summary>Overrides every telemetry wait (profile default and wait-telemetry durations), e.g. short in tests.</summary>
    public TimeSpan? SettleTime { get; init; }

    public BrowserDriverOptions DriverOptions { get; init; } = new();

    /// <summary>Where a case's files (HAR, canaries, screenshots) are staged before the bundle copies them.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "harness-cases");

    /// <summary>Each finished case is added here (CaseRecord, HAR of its window, canaries, attachments) when set.</summary>
    public EvidenceBundleWriter? Evidence { get; init; }

    /// <summary>Each finished case is recorded here under <see cref="HistoryRunId"/> when set.</summary>
    public HistoryStore? History { get; init; }

    public long HistoryRunId { get; init; }

    /// <summary>How often /proc/net/tcp(6) is sampled on rooted phones while a case runs.</summary>
    public TimeSpan ConnectionSampleInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Vendor host suffixes; null = <see cref="DestinationClassifier.DefaultVendorSuffixes"/>. The rack's vendor domains are added.
    /// (Search engines come from the browser profiles, per phone locale; the rack adds intended hosts.)</summary>
    public IReadOnlyList<string>? VendorSuffixes { get; init; }


    /// <summary>Logcat lines kept per case.</summary>
    public int LogcatLines { get; init; } = 400;

    public Random Random { get; init; } = Random.Shared;
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
