using Harness.Core;
using Harness.Evidence.Bundles;

namespace Harness.Evidence.Verification;

/// <summary>One shard of a merged run, checked: its bundle's own verification (pinned to the index's key) and whether its manifest is the one the index lists.</summary>
public sealed record ShardVerification(BundleIndexEntry Entry, VerificationReport Report, string? IndexProblem)
{
    public bool Holds => Report.Holds && IndexProblem is null;

    public ExitCode ExitCode => IndexProblem is not null ? ExitCode.LeakFound : Report.ExitCode;

    public string ToText() =>
        $"shard {Entry.Shard}: {Entry.Path} (run {Entry.RunId}, key {Entry.SigningKeyFingerprint})\n"
        + (IndexProblem is null ? "" : "  " + IndexProblem + "\n")
        + Report.ToText();
}
