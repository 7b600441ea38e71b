namespace Harness.Evidence.Allure;

public sealed record AllureStatusDetails
{
    public string? Message { get; init; }
    public string? Trace { get; init; }
    public bool Known { get; init; }
    public bool Muted { get; init; }
    public bool Flaky { get; init; }
}
