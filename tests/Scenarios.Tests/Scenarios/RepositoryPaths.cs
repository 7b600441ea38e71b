namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>Finds the checkout's scenarios/ folder from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string ScenariosDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scenarios");
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")) && Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("no scenarios/ folder above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    public static string BrowsersDirectory => Path.Combine(ScenariosDirectory, "browsers");
}
