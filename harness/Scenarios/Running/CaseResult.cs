using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>What one case concluded, with everything a reader needs to check it.</summary>
public sealed record CaseResult
{
    public required ScenarioCase Case { get; init; }
    public required CaseVerdict Verdict { get; init; }
    public required string Reason { get; init; }
    public string? BrowserVersion { get; init; }
    public string? DeviceModel { get; init; }

    /// <summary>Set when the rig failed (device lost, adb down) rather than the browser.</summary>
    public string? InfrastructureError { get; init; }

    /// <summary>True when the case reached the scan; false when it broke off before (a step, the device), so its verdict is not a scan's.</summary>
    public bool Judged { get; init; }

    /// <summary>What made part of the case unseen outside the flows (route lost, sampling failed), as judged.</summary>
    public string? BlindSpot { get; init; }

    /// <summary>The phone's identifiers the case looked for (android_id, serial …).</summary>
    public IReadOnlyDictionary<string, string> DeviceMetadata { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public IReadOnlyList<DeviceMetadataFinding> DeviceMetadataFindings { get; init; } = [];
    public IReadOnlyList<LinkableIdentifier> LinkableIdentifiers { get; init; } = [];
    public IReadOnlyList<string> CoverageGaps { get; init; } = [];
    public IReadOnlyList<string> CoverageLimits { get; init; } = [];

    /// <summary>The rack's upstream mode the case ran with: "forward" or "sinkhole" (<see cref="RackSettings.UpstreamName"/>).</summary>
    public string? Upstream { get; init; }

    /// <summary>The vendor domains the case was judged with (the built-in list plus the rack's); null = the built-in list.</summary>
    public IReadOnlyList<string>? VendorSuffixes { get; init; }
    public IReadOnlyList<string> ExpectationOutcomes { get; init; } = [];
    public IReadOnlyList<CaseStepTiming> Steps { get; init; } = [];
    public IReadOnlyList<CaseAttachment> Screenshots { get; init; } = [];
    public IReadOnlyList<CaseAttachment> UiDumps { get; init; } = [];
    public string? Logcat { get; init; }
    public IReadOnlyList<Flow> Flows { get; init; } = [];
    public CanarySet? Canaries { get; init; }
    public IReadOnlyList<UnaccountedConnection> UnaccountedConnections { get; init; } = [];
    /// <summary>The profile's telemetry uploads the case was judged against (the heartbeat rule); empty when it names none.</summary>
    public IReadOnlyList<Harness.Browsers.TelemetryEndpoint> TelemetryEndpoints { get; init; } = [];
    /// <summary>When the last browsing step was confirmed; null when the case had none or broke off before it.</summary>
    public DateTimeOffset? LastBrowsingStepUtc { get; init; }
    /// <summary>The runs of a differential case, each with its own result; empty for a case run once.</summary>
    public IReadOnlyList<DifferentialRunResult> DifferentialRuns { get; init; } = [];
    /// <summary>The table of opaque request sizes per run a differential verdict rests on.</summary>
    public IReadOnlyList<string> DifferentialTable { get; init; } = [];
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset StoppedUtc { get; init; }

    /// <summary>Paths of the case in the evidence bundle, when one was written.</summary>
    public IReadOnlyList<string> EvidenceAttachments { get; init; } = [];

    public override string ToString() => $"{Case}: {Verdict} ({Reason})";
}
