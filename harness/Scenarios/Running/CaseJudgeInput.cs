using Harness.Browsers;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Everything a verdict depends on. The runner fills it from a live case; the bundle rescanner fills it from a bundle,
/// so both reach the verdict by the same code.
/// </summary>
public sealed record CaseJudgeInput
{
    public required IReadOnlyList<Flow> Flows { get; init; }
    public required CanarySet Canaries { get; init; }
    public required IReadOnlyList<ScenarioExpectation> Expectations { get; init; }
    /// <summary>Null means <see cref="DestinationClassifier.DefaultVendorSuffixes"/>.</summary>
    public IReadOnlyList<string>? VendorSuffixes { get; init; }
    /// <summary>Values read from the phone (android_id, serial …), looked for when a no-device-metadata expectation is set.</summary>
    public IReadOnlyDictionary<string, string> DeviceMetadata { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<UnaccountedConnection> UnaccountedConnections { get; init; } = [];
    /// <summary>Something outside the flows that made part of the case unseen (route lost, sampling failed); never a pass then.</summary>
    public string? BlindSpot { get; init; }
    public string SessionTag { get; init; } = DeviceSession.SessionTag;
    /// <summary>The browser's telemetry uploads (its profile's <c>telemetry:</c> block); empty when the profile names none.</summary>
    public IReadOnlyList<TelemetryEndpoint> TelemetryEndpoints { get; init; } = [];
    /// <summary>When the case's last browsing step (open-url, search, news item) was confirmed; null when it had none.</summary>
    public DateTimeOffset? LastBrowsingStepUtc { get; init; }
    /// <summary>Opaque payloads a differential analysis found not input-correlated: their note, and they are no gap.</summary>
    public Func<Flow, OpaquePayload, string?>? ClearOpaquePayload { get; init; }
}
