namespace Harness.Scenarios;

/// <summary>One kind of opaque request (endpoint and shape) across the counted runs of a differential case.</summary>
/// <param name="RepeatSlot">For a disagreement, the slot whose run looks least like the others: what to run again.</param>
public sealed record DifferentialRow(string Endpoint, string Shape, DifferentialRowKind Kind, IReadOnlyList<DifferentialRowSize> Sizes,
    long Allowance, string Explanation, int? RepeatSlot)
{
    /// <summary>"run-1 (L=57): 1 request, 1234 B; …": the table of sizes per run in one line.</summary>
    public string SizesText => string.Join("; ", Sizes.Select(s => $"{s.Run.Label} (input {s.Run.InputLength} chars): {s.Requests} request(s), {s.Bytes} B"));

    public override string ToString() => $"{Endpoint} [{Shape}]: {Explanation} ({SizesText}; allowance ±{Allowance} B)";
}
