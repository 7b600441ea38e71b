using Harness.Evidence.Records;
using Harness.Evidence.Signing;

namespace Harness.Evidence.Bundles;

/// <summary>Hashes every file of a bundle folder, writes manifest.json, and signs it. Used by the writer and the redactor.</summary>
public static class BundleSealer
{
    public static async Task<SealedBundle> SealAsync(string bundleDirectory, RunInfo run, BundleSigningKey key,
        string? redactedFromManifestSha256, TimeProvider time, CancellationToken ct)
    {
        await AtomicFile.WriteAllBytesAsync(Path.Combine(bundleDirectory, BundleLayout.PublicKeyFile),
            System.Text.Encoding.ASCII.GetBytes(key.PublicKeyPem), ct);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(bundleDirectory, BundleLayout.RunFile), BundleJson.Serialize(run), ct);

        var entries = new List<ManifestEntry>();
        foreach (var relative in FolderBundleSource.ListFiles(bundleDirectory))
        {
            if (BundleLayout.IsOutsideManifest(relative)) continue;
            var (sha, size) = await FileHashing.HashFileAsync(Path.Combine(bundleDirectory, relative), ct);
            entries.Add(new ManifestEntry(relative, sha, size));
        }

        var manifest = new BundleManifest
        {
            RunId = run.RunId,
            HarnessVersion = run.HarnessVersion,
            HarnessCommit = run.HarnessCommit,
            StartedUtc = run.StartedUtc,
            EndedUtc = run.EndedUtc,
            SealedUtc = time.GetUtcNow(),
            SigningKeyFingerprint = key.Fingerprint,
            RedactedFromManifestSha256 = redactedFromManifestSha256,
            Files = entries,
        };
        var manifestBytes = BundleJson.Serialize(manifest);
        // Signature first, manifest last: a bundle with a manifest is complete; one without is visibly partial.
        await AtomicFile.WriteAllBytesAsync(Path.Combine(bundleDirectory, BundleLayout.SignatureFile),
            System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key.Sign(manifestBytes)) + "\n"), ct);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(bundleDirectory, BundleLayout.ManifestFile), manifestBytes, ct);
        return new SealedBundle(bundleDirectory, manifest, FileHashing.Sha256Hex(manifestBytes), key.Fingerprint);
    }
}
