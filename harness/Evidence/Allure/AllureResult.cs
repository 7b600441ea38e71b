namespace Harness.Evidence.Allure;

/// <summary>The `&lt;uuid&gt;-result.json` document (Allure 2 results schema).</summary>
public sealed record AllureResult
{
    public required string Uuid { get; init; }
    public required string HistoryId { get; init; }
    public required string TestCaseId { get; init; }
    public required string FullName { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required string Status { get; init; }
    public string Stage { get; init; } = "finished";
    public AllureStatusDetails StatusDetails { get; init; } = new();
    public long Start { get; init; }
    public long Stop { get; init; }
    public IReadOnlyList<AllureLabel> Labels { get; init; } = [];
    public IReadOnlyList<object> Links { get; init; } = [];
    public IReadOnlyList<AllureParameter> Parameters { get; init; } = [];
    public IReadOnlyList<AllureAttachment> Attachments { get; init; } = [];
    public IReadOnlyList<AllureStep> Steps { get; init; } = [];
}
