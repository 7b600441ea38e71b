namespace Harness.Evidence.Bundles;

public sealed record EvidenceBundleOptions
{
    /// <summary>Folder the bundle is written into; created if missing, must be empty or absent.</summary>
    public required string BundleDirectory { get; init; }
    public required string RunId { get; init; }
    public required string HarnessVersion { get; init; }
    public string? HarnessCommit { get; init; }
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
