using Harness.Evidence.Bundles;

namespace Harness.Scenarios;

/// <summary>A finished rack run: its results and the sealed evidence bundle.</summary>
public sealed record RackRunOutcome(RackRunResult Result, SealedBundle Bundle);
