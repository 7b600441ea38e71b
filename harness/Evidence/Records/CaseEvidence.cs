namespace Harness.Evidence.Records;

/// <summary>
/// Everything the bundle writer copies for one finished case. Paths point at files on the local disk
/// (where the runner left them); the writer copies them into the bundle and rewrites <see cref="CaseRecord.Attachments"/>.
/// </summary>
public sealed record CaseEvidence
{
    public required CaseRecord Record { get; init; }
    public string? HarPath { get; init; }
    public string? CanariesPath { get; init; }
    /// <summary>Scenario expectations as evaluated (what counts as a leak for this case), needed to re-scan.</summary>
    public string? ExpectationsPath { get; init; }
    public IReadOnlyList<string> Screenshots { get; init; } = [];
    public IReadOnlyList<string> UiDumps { get; init; } = [];
    public string? LogcatPath { get; init; }
}
