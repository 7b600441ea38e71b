using System.Text;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Signing;

namespace Harness.Evidence.Verification;

/// <summary>
/// Checks a bundle offline: every manifest hash, no extra or missing file, the manifest signature, an optional
/// pinned key, and that re-scanning the bundled data reaches the recorded findings and verdicts.
/// </summary>
public sealed class BundleVerifier(IBundleRescanner? rescanner)
{
    public const string RescanUnavailableMessage = "verification of findings not available: no rescanner registered";

    /// <summary>Throws <see cref="Harness.Core.BadInputException"/> when the input is not a readable bundle.</summary>
    public async Task<VerificationReport> VerifyAsync(string bundlePath, string? pinnedFingerprint, CancellationToken ct)
    {
        using var bundle = await BundleReader.OpenAsync(bundlePath, ct);
        return await VerifyAsync(bundle, pinnedFingerprint, ct);
    }

    public async Task<VerificationReport> VerifyAsync(BundleContents bundle, string? pinnedFingerprint, CancellationToken ct)
    {
        var differences = new List<VerificationDifference>();
        var filesChecked = 0;
        string? fingerprint = null;

        if (bundle.Manifest is null || bundle.ManifestBytes is null)
        {
            differences.Add(new(DifferenceKind.NotSealed, BundleLayout.ManifestFile, "bundle has no manifest: the run did not finish sealing, nothing can be verified"));
        }
        else
        {
            filesChecked = await CheckFilesAsync(bundle, bundle.Manifest, differences, ct);
            fingerprint = await CheckSignatureAsync(bundle, bundle.ManifestBytes, pinnedFingerprint, differences, ct);
        }

        var (rescanned, findingsVerified) = await CheckFindingsAsync(bundle, differences, ct);
        return new VerificationReport
        {
            Bundle = bundle.Source.Location,
            SigningKeyFingerprint = fingerprint,
            FilesChecked = filesChecked,
            CasesRescanned = rescanned,
            FindingsVerified = findingsVerified,
            RedactedFromManifestSha256 = bundle.Manifest?.RedactedFromManifestSha256,
            Differences = differences,
        };
    }

    private static async Task<int> CheckFilesAsync(BundleContents bundle, BundleManifest manifest, List<VerificationDifference> differences, CancellationToken ct)
    {
        var present = bundle.Source.ListFiles().Where(f => !BundleLayout.IsOutsideManifest(f)).ToHashSet(StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var checkedCount = 0;
        foreach (var entry in manifest.Files)
        {
            listed.Add(entry.Path);
            if (!present.Contains(entry.Path))
            {
                differences.Add(new(DifferenceKind.MissingFile, entry.Path, "listed in the manifest but not in the bundle"));
                continue;
            }
            var bytes = await bundle.ReadAllBytesAsync(entry.Path, ct);
            checkedCount++;
            var sha = FileHashing.Sha256Hex(bytes);
            if (sha != entry.Sha256 || bytes.LongLength != entry.Size)
                differences.Add(new(DifferenceKind.ContentChanged, entry.Path,
                    $"SHA-256 {sha} ({bytes.LongLength} bytes) but the manifest says {entry.Sha256} ({entry.Size} bytes)"));
        }
        foreach (var extra in present.Where(p => !listed.Contains(p)).OrderBy(p => p, StringComparer.Ordinal))
            differences.Add(new(DifferenceKind.ExtraFile, extra, "in the bundle but not listed in the manifest"));
        return checkedCount;
    }

    private static async Task<string?> CheckSignatureAsync(BundleContents bundle, byte[] manifestBytes, string? pin,
        List<VerificationDifference> differences, CancellationToken ct)
    {
        if (!bundle.Source.Exists(BundleLayout.PublicKeyFile))
        {
            differences.Add(new(DifferenceKind.SignatureMissing, BundleLayout.PublicKeyFile, "no public key in the bundle"));
            return null;
        }
        if (!bundle.Source.Exists(BundleLayout.SignatureFile))
        {
            differences.Add(new(DifferenceKind.SignatureMissing, BundleLayout.SignatureFile, "no signature in the bundle"));
            return null;
        }
        var publicPem = Encoding.ASCII.GetString(await bundle.ReadAllBytesAsync(BundleLayout.PublicKeyFile, ct));
        string fingerprint;
        try
        {
            fingerprint = SignatureCheck.FingerprintOfPem(publicPem);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            differences.Add(new(DifferenceKind.SignatureInvalid, BundleLayout.PublicKeyFile, "not an EC public key: " + e.Message));
            return null;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Encoding.ASCII.GetString(await bundle.ReadAllBytesAsync(BundleLayout.SignatureFile, ct)).Trim());
        }
        catch (FormatException)
        {
            differences.Add(new(DifferenceKind.SignatureInvalid, BundleLayout.SignatureFile, "signature is not base64"));
            return fingerprint;
        }
        if (!SignatureCheck.Verify(publicPem, manifestBytes, signature))
            differences.Add(new(DifferenceKind.SignatureInvalid, BundleLayout.ManifestFile, "signature does not match the manifest: the manifest or the signature was changed"));
        if (pin is not null && SignatureCheck.NormalizeFingerprint(pin) != fingerprint)
            differences.Add(new(DifferenceKind.PinMismatch, BundleLayout.PublicKeyFile, $"signed by key {fingerprint}, not the pinned {SignatureCheck.NormalizeFingerprint(pin)}"));
        return fingerprint;
    }

    private async Task<(int Rescanned, bool Verified)> CheckFindingsAsync(BundleContents bundle, List<VerificationDifference> differences, CancellationToken ct)
    {
        if (rescanner is null)
        {
            differences.Add(new(DifferenceKind.RescanUnavailable, null, RescanUnavailableMessage));
            return (0, false);
        }
        var rescanned = (await rescanner.RescanAsync(bundle, ct)).ToDictionary(r => r.CaseId, StringComparer.Ordinal);
        var recorded = bundle.Cases.ToDictionary(c => c.Record.CaseId, StringComparer.Ordinal);
        foreach (var (caseId, bundled) in recorded.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!rescanned.TryGetValue(caseId, out var fresh))
            {
                differences.Add(new(DifferenceKind.CaseMissingFromRescan, bundled.ResultPath, $"case {caseId} could not be re-scanned (HAR, canaries or expectations missing?)"));
                continue;
            }
            CompareCase(bundled, fresh, differences);
        }
        foreach (var extra in rescanned.Keys.Where(k => !recorded.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal))
            differences.Add(new(DifferenceKind.CaseOnlyInRescan, null, $"re-scan produced case {extra} which has no recorded result"));
        return (rescanned.Count, true);
    }

    private static void CompareCase(BundleCase bundled, CaseRecord fresh, List<VerificationDifference> differences)
    {
        var recorded = bundled.Record;
        if (!string.Equals(recorded.Verdict, fresh.Verdict, StringComparison.Ordinal))
            differences.Add(new(DifferenceKind.VerdictDiffers, bundled.ResultPath, $"recorded verdict {recorded.Verdict}, re-scan gives {fresh.Verdict}"));
        var recordedKeys = recorded.Findings.Select(f => f.ComparisonKey).ToHashSet(StringComparer.Ordinal);
        var freshKeys = fresh.Findings.Select(f => f.ComparisonKey).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in recordedKeys.Where(k => !freshKeys.Contains(k)).Order(StringComparer.Ordinal))
            differences.Add(new(DifferenceKind.FindingMissingFromRescan, bundled.ResultPath, "recorded finding not reproduced: " + missing));
        foreach (var added in freshKeys.Where(k => !recordedKeys.Contains(k)).Order(StringComparer.Ordinal))
            differences.Add(new(DifferenceKind.FindingOnlyInRescan, bundled.HarPath ?? bundled.ResultPath, "re-scan finds a finding that was not recorded: " + added));
    }
}
