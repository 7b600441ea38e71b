namespace Harness.Scenarios;

/// <summary>What <see cref="DifferentialAnalyzer"/> concluded over the runs of one differential case.</summary>
/// <param name="Runs">Every run, repeats and the runs they superseded included.</param>
/// <param name="Counted">The latest run of each slot: what the rows compare.</param>
public sealed record DifferentialAnalysis(IReadOnlyList<DifferentialRun> Runs, IReadOnlyList<DifferentialRun> Counted, IReadOnlyList<DifferentialRow> Rows)
{
    public bool Agree => Rows.All(r => r.Kind != DifferentialRowKind.Disagree);

    /// <summary>The slot to run again when the runs disagree; null when they agree.</summary>
    public int? RepeatSlot => Rows.FirstOrDefault(r => r.Kind == DifferentialRowKind.Disagree)?.RepeatSlot;

    public int Repeats => Runs.Count - Counted.Count;

    /// <summary>For each repeated run, what the runs before it disagreed on.</summary>
    public IReadOnlyList<string> RepeatReasons { get; init; } = [];

    /// <summary>The table of sizes per run, one line per kind of opaque request, for the evidence and the report.</summary>
    public IReadOnlyList<string> Table =>
    [
        $"runs: {string.Join(", ", Runs.OrderBy(r => r.Order).Select(r => $"{r.Label} (input {r.InputLength} chars{(Counted.Contains(r) ? "" : ", superseded by a repeat")})"))}",
        .. Rows.Count == 0 ? ["no opaque request in any run"] : Rows.Select(r => $"{r.Kind}: {r}"),
        .. RepeatReasons,
    ];
}
