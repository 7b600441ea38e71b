using Harness.TestSupport;

namespace Harness.Proxy.Tests.Support;

/// <summary>
/// The checkout and the npm devDependencies that `npm ci` installs into its node_modules (package.json at the root).
/// A missing package fails the test under CI=true and skips it elsewhere, saying to run `npm ci`.
/// </summary>
internal static class NpmPackage
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Harness.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The folder of an installed package, e.g. node_modules/har-validator.</summary>
    public static string Require(string name)
    {
        var root = RepositoryRoot();
        var folder = Path.Combine(root, "node_modules", name);
        if (File.Exists(Path.Combine(folder, "package.json"))) return folder;
        var message = $"the npm package `{name}` is required for this test: run `npm ci` in {root} (package.json lists it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message);
        else
            Assert.Ignore(message);
        return null!; // unreachable: both Assert calls throw
    }

    public static string Node => RequiredTool.Locate("node", "apt-get install nodejs");
}
