namespace Harness.Evidence.Bundles;

/// <summary>
/// One shard's bundle in a <see cref="BundleIndex"/>: where it is (relative to the index), which run sealed it, the
/// fingerprint of the key that signed it (each shard's host signs with its own key) and the SHA-256 of its manifest.
/// </summary>
public sealed record BundleIndexEntry
{
    /// <summary>"K/N" when the shard recorded it, else the position among the merged outputs.</summary>
    public required string Shard { get; init; }
    public required string Path { get; init; }
    public required string RunId { get; init; }
    public required string SigningKeyFingerprint { get; init; }
    public required string ManifestSha256 { get; init; }
}
