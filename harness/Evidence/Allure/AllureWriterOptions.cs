namespace Harness.Evidence.Allure;

public sealed record AllureWriterOptions
{
    /// <summary>Namespace-like prefix of every fullName, as if the cases were methods of an NUnit class.</summary>
    public string Package { get; init; } = "Harness.LeakSuite";
    public string ParentSuite { get; init; } = "Browser leak suite";
    public string Framework { get; init; } = "NUnit 4";
}
