using Harness.Evidence.History;

namespace Harness.Evidence.Regression;

public sealed record RegressionEntry
{
    public required HistoryCase Current { get; init; }
    public HistoryCase? Baseline { get; init; }
    public BaselineMatch Match { get; init; }
    public RegressionChange Change { get; init; }
    /// <summary>"host:canaryKind" keys present now and not in the baseline.</summary>
    public IReadOnlyList<string> NewFindings { get; init; } = [];
    /// <summary>Keys present in the baseline and gone now.</summary>
    public IReadOnlyList<string> FixedFindings { get; init; } = [];
}
