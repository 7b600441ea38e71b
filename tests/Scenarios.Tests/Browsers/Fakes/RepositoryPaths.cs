namespace Harness.Scenarios.Tests.Browsers.Fakes;

/// <summary>Locates the checkout (the folder with Harness.sln) so tests read the shipped profiles and the recorded dumps in place.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
            throw new InvalidOperationException("Harness.sln not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    public static string BrowserProfiles => Path.Combine(Root, "scenarios", "browsers");
    public static string Dumps => Path.Combine(Root, "tests", "Scenarios.Tests", "Browsers", "Dumps");
}
