using Harness.Flows;

namespace Harness.Leaks;

public sealed record ScanResult
{
    public required Verdict Verdict { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required CoverageReport Coverage { get; init; }
    public IReadOnlyList<LinkableIdentifier> Linkables { get; init; } = [];
    public IReadOnlyList<DeviceMetadataFinding> DeviceMetadataFindings { get; init; } = [];
    public IReadOnlyList<ExpectationOutcome> Expectations { get; init; } = [];
    /// <summary>The request payloads to non-intended hosts nothing could read, with their flows (what a differential run aligns).</summary>
    public IReadOnlyList<(Flow Flow, DestinationClass Destination, OpaquePayload Payload)> OpaquePayloads { get; init; } = [];
}
