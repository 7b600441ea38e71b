using Harness.Evidence.Bundles;
using Harness.Evidence.Records;

namespace Harness.Evidence.Verification;

/// <summary>
/// Recomputes case verdicts and findings from a bundle's own data (per-case HAR, canaries, expectations),
/// without phone or network. The real one (Harness.Scenarios.ScenarioBundleRescanner) judges with the same code the run used; Evidence cannot reference it, hence the seam.
/// </summary>
public interface IBundleRescanner
{
    /// <summary>One record per case it could re-scan, with <see cref="CaseRecord.CaseId"/> matching the bundled one.</summary>
    Task<IReadOnlyList<CaseRecord>> RescanAsync(BundleContents bundle, CancellationToken ct);
}
