namespace Harness.LeakSuite;

public static class LeakSuiteCategories
{
    /// <summary>Every test here carries it; `bash tests/run` excludes it with TestCategory!=LeakSuite.</summary>
    public const string Suite = "LeakSuite";
}
