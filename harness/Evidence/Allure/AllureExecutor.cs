namespace Harness.Evidence.Allure;

/// <summary>executor.json; <see cref="BuildOrder"/> and <see cref="ReportUrl"/> feed Allure's trend charts.</summary>
public sealed record AllureExecutor
{
    public string Name { get; init; } = "harness";
    public string Type { get; init; } = "harness";
    public string? Url { get; init; }
    public long? BuildOrder { get; init; }
    public string? BuildName { get; init; }
    public string? BuildUrl { get; init; }
    public string? ReportName { get; init; }
    public string? ReportUrl { get; init; }
}
