using System.Security.Cryptography;
using Harness.Core;

namespace Harness.Evidence.Bundles;

/// <summary>
/// bundle-index.json of a merged run (`harness merge`): the shards' sealed bundles, each left as its host signed it,
/// with the key fingerprint and manifest hash to hold it to. `harness verify` checks every shard against its entry.
/// </summary>
public sealed record BundleIndex
{
    public const string FileName = "bundle-index.json";
    public int FormatVersion { get; init; } = 1;
    public required IReadOnlyList<BundleIndexEntry> Shards { get; init; }

    /// <summary>The index entry of a sealed bundle folder at <paramref name="relativePath"/> under <paramref name="indexDirectory"/>.</summary>
    public static async Task<BundleIndexEntry> DescribeAsync(string indexDirectory, string relativePath, string shard, CancellationToken ct)
    {
        using var bundle = await BundleReader.OpenAsync(System.IO.Path.Combine(indexDirectory, relativePath), ct).ConfigureAwait(false);
        if (bundle.Manifest is null || bundle.ManifestBytes is null)
            throw new BadInputException("the shard's bundle is not sealed (its run was killed before the end): nothing to vouch for", bundle.Source.Location);
        return new BundleIndexEntry
        {
            Shard = shard,
            Path = relativePath.Replace('\\', '/'),
            RunId = bundle.Manifest.RunId,
            SigningKeyFingerprint = bundle.Manifest.SigningKeyFingerprint,
            ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(bundle.ManifestBytes)),
        };
    }

    public Task WriteAsync(string directory, CancellationToken ct) =>
        AtomicFile.WriteAllBytesAsync(System.IO.Path.Combine(directory, FileName), BundleJson.Serialize(this), ct);

    /// <summary>The index in <paramref name="path"/> (the file, or a folder holding it); null when there is none.</summary>
    public static async Task<(BundleIndex Index, string Directory)?> TryReadAsync(string path, CancellationToken ct)
    {
        var file = Directory.Exists(path) ? System.IO.Path.Combine(path, FileName) : path;
        if (!File.Exists(file) || System.IO.Path.GetFileName(file) != FileName) return null;
        var index = BundleJson.Deserialize<BundleIndex>(await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false), file);
        return (index, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file))!);
    }
}
