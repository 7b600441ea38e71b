namespace Harness.Evidence.Bundles;

/// <summary>What sealing produced: the manifest and the fingerprint a lab pins.</summary>
public sealed record SealedBundle(string BundleDirectory, BundleManifest Manifest, string ManifestSha256, string SigningKeyFingerprint);
