using System.Text;
using Harness.Core;
using Harness.Evidence.Bundles;

namespace Harness.Evidence.Verification;

/// <summary>Outcome of verifying a bundle: every difference found, not just the first.</summary>
public sealed record VerificationReport
{
    public required string Bundle { get; init; }
    public string? SigningKeyFingerprint { get; init; }
    public int FilesChecked { get; init; }
    public int CasesRescanned { get; init; }
    public bool FindingsVerified { get; init; }
    public string? RedactedFromManifestSha256 { get; init; }
    public required IReadOnlyList<VerificationDifference> Differences { get; init; }

    /// <summary>True only when hashes, signature, pin and the re-scan all hold.</summary>
    public bool Holds => Differences.Count == 0 && FindingsVerified;

    /// <summary>0 when everything holds; 1 when something differs; 4 when only the re-scan could not be done (no rescanner registered).</summary>
    public ExitCode ExitCode =>
        Holds ? ExitCode.AllPass
        : Differences.Any(d => d.Kind != DifferenceKind.RescanUnavailable) ? ExitCode.LeakFound
        : ExitCode.Infrastructure;

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine($"bundle: {Bundle}");
        if (SigningKeyFingerprint is not null) text.AppendLine($"signing key fingerprint (SHA-256): {SigningKeyFingerprint}");
        if (RedactedFromManifestSha256 is not null) text.AppendLine($"redacted copy of bundle with manifest SHA-256 {RedactedFromManifestSha256}");
        text.AppendLine($"files checked: {FilesChecked}; cases re-scanned: {CasesRescanned}");
        foreach (var difference in Differences) text.AppendLine("  " + difference);
        text.AppendLine(Holds ? "VERIFIED: hashes, signature and findings all hold" : "NOT VERIFIED");
        return text.ToString();
    }

    public string ToJson() => Encoding.UTF8.GetString(BundleJson.Serialize(new
    {
        Bundle,
        Verified = Holds,
        SigningKeyFingerprint,
        RedactedFromManifestSha256,
        FilesChecked,
        CasesRescanned,
        FindingsVerified,
        Differences = Differences.Select(d => new { Kind = d.Kind.ToString(), d.File, d.Detail }),
    }));
}
