using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Signing;

namespace Harness.Evidence.Redaction;

/// <summary>
/// Produces a shareable copy of a sealed bundle: secrets in the HAR files masked, everything else copied byte for byte,
/// redactions.json saying what was masked, and a fresh manifest and signature that record the original manifest's hash.
/// </summary>
public sealed class BundleRedactor(RedactionPolicy policy, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<SealedBundle> RedactAsync(string bundlePath, string outputDirectory, BundleSigningKey key, CancellationToken ct)
    {
        using var bundle = await BundleReader.OpenAsync(bundlePath, ct);
        if (bundle.Manifest is null || bundle.ManifestBytes is null)
            throw new BadInputException("bundle is not sealed (no manifest.json); only a complete bundle can be redacted", bundlePath);
        if (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any())
            throw new BadInputException("output folder exists and is not empty", outputDirectory);
        Directory.CreateDirectory(outputDirectory);

        var redactor = new HarRedactor(policy);
        var casesByHar = bundle.Cases.Where(c => c.HarPath is not null).ToDictionary(c => c.HarPath!, StringComparer.Ordinal);
        var log = new List<RedactionEntry>();
        foreach (var relative in bundle.Source.ListFiles())
        {
            // Rewritten by the sealer (manifest, signature, this installation's key) or by us (redactions.json).
            if (BundleLayout.IsOutsideManifest(relative) || relative is BundleLayout.PublicKeyFile or BundleLayout.RedactionsFile) continue;
            var bytes = await bundle.ReadAllBytesAsync(relative, ct);
            if (relative.EndsWith(".har", StringComparison.OrdinalIgnoreCase))
            {
                casesByHar.TryGetValue(relative, out var owner);
                var canaries = owner?.CanariesPath is { } c ? await bundle.ReadAllBytesAsync(c, ct) : null;
                var findings = owner?.Record.Findings ?? (IReadOnlyList<FindingRecord>)[];
                var protectedValues = ProtectedValues.From(canaries, findings, policy.MinimumProtectedLength);
                var result = redactor.Redact(bytes, relative, protectedValues, findings);
                log.AddRange(result.Entries);
                bytes = result.Har;
            }
            await AtomicFile.WriteAllBytesAsync(Path.Combine(outputDirectory, relative), bytes, ct);
        }

        var originalManifestSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bundle.ManifestBytes));
        await AtomicFile.WriteAllBytesAsync(Path.Combine(outputDirectory, BundleLayout.RedactionsFile), BundleJson.Serialize(new
        {
            OriginalManifestSha256 = originalManifestSha,
            MaskedFields = policy.ExtraFields,
            Mask = RedactionPolicy.Mask,
            Redactions = log,
        }), ct);

        var run = bundle.Run ?? new RunInfo
        {
            RunId = bundle.Manifest.RunId,
            HarnessVersion = bundle.Manifest.HarnessVersion,
            HarnessCommit = bundle.Manifest.HarnessCommit,
            StartedUtc = bundle.Manifest.StartedUtc,
            EndedUtc = bundle.Manifest.EndedUtc,
        };
        return await BundleSealer.SealAsync(outputDirectory, run, key, originalManifestSha, _time, ct);
    }
}
