using System.Security.Cryptography;
using Harness.Core;
using Harness.Evidence.Bundles;

namespace Harness.Evidence.Verification;

/// <summary>
/// Checks a merged run's <see cref="BundleIndex"/> shard by shard: each bundle with <see cref="BundleVerifier"/> (hashes,
/// signature, re-judged findings) pinned to the fingerprint the index lists for it, and its manifest's SHA-256 against
/// the index, so a shard bundle swapped for another run's — even one validly signed — is caught.
/// </summary>
public sealed class BundleIndexVerifier(BundleVerifier verifier)
{
    public async Task<IReadOnlyList<ShardVerification>> VerifyAsync(BundleIndex index, string indexDirectory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(index);
        var results = new List<ShardVerification>();
        foreach (var entry in index.Shards)
        {
            var path = Path.GetFullPath(Path.Combine(indexDirectory, entry.Path));
            if (!path.StartsWith(Path.GetFullPath(indexDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new BadInputException($"shard {entry.Shard}: path \"{entry.Path}\" leaves the index's folder", Path.Combine(indexDirectory, BundleIndex.FileName));
            var report = await verifier.VerifyAsync(path, entry.SigningKeyFingerprint, ct).ConfigureAwait(false);
            string? problem = null;
            var manifest = Path.Combine(path, BundleLayout.ManifestFile);
            if (!File.Exists(manifest)) problem = $"{BundleLayout.ManifestFile} missing";
            else
            {
                var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(manifest, ct).ConfigureAwait(false)));
                if (!string.Equals(sha, entry.ManifestSha256, StringComparison.OrdinalIgnoreCase))
                    problem = $"manifest SHA-256 {sha} is not the {entry.ManifestSha256} the index lists: this is not the bundle that was merged";
            }
            results.Add(new ShardVerification(entry, report, problem));
        }
        return results;
    }

    /// <summary>0 when every shard holds, else the worst shard's code (1 something differs, 4 re-scan unavailable).</summary>
    public static ExitCode ExitCodeOf(IReadOnlyList<ShardVerification> shards) =>
        shards.Count == 0 ? ExitCode.Infrastructure
        : shards.All(s => s.Holds) ? ExitCode.AllPass
        : shards.Any(s => s.ExitCode == ExitCode.LeakFound) ? ExitCode.LeakFound
        : ExitCode.Infrastructure;
}
