namespace Harness.Evidence.Bundles;

/// <summary>One file of a sealed bundle: relative path, lower-case hex SHA-256, size in bytes.</summary>
public sealed record ManifestEntry(string Path, string Sha256, long Size);
