namespace Harness.Evidence.Allure;

/// <summary>Allure 2 status strings.</summary>
public static class AllureStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Broken = "broken";
    public const string Skipped = "skipped";

    public static IReadOnlyList<string> All { get; } = [Passed, Failed, Broken, Skipped];
}
