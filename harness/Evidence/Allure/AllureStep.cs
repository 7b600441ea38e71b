namespace Harness.Evidence.Allure;

public sealed record AllureStep
{
    public required string Name { get; init; }
    public required string Status { get; init; }
    public string Stage { get; init; } = "finished";
    public AllureStatusDetails StatusDetails { get; init; } = new();
    public long Start { get; init; }
    public long Stop { get; init; }
    public IReadOnlyList<AllureAttachment> Attachments { get; init; } = [];
    public IReadOnlyList<AllureParameter> Parameters { get; init; } = [];
    public IReadOnlyList<AllureStep> Steps { get; init; } = [];
}
