namespace Harness.Evidence.Bundles;

/// <summary>manifest.json: every file of the bundle with its hash; the signature covers its exact bytes.</summary>
public sealed record BundleManifest
{
    public int FormatVersion { get; init; } = 1;
    public required string RunId { get; init; }
    public required string HarnessVersion { get; init; }
    public string? HarnessCommit { get; init; }
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset? EndedUtc { get; init; }
    public DateTimeOffset SealedUtc { get; init; }
    /// <summary>SHA-256 fingerprint of the signing public key (SPKI DER), so a reader sees which key to pin.</summary>
    public required string SigningKeyFingerprint { get; init; }
    /// <summary>Set on a redacted bundle: SHA-256 of the original bundle's manifest.json bytes.</summary>
    public string? RedactedFromManifestSha256 { get; init; }
    public required IReadOnlyList<ManifestEntry> Files { get; init; }
}
