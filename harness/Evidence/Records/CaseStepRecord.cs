namespace Harness.Evidence.Records;

/// <summary>One timed step of a case (install, open page, scan…); feeds Allure steps.</summary>
public sealed record CaseStepRecord
{
    public required string Name { get; init; }
    /// <summary>"passed", "failed", "broken" or "skipped" (Allure step statuses).</summary>
    public string Status { get; init; } = "passed";
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset StoppedUtc { get; init; }
    public string? Message { get; init; }
}
