namespace Harness.TestSupport;

/// <summary>
/// Finds an external tool on PATH. Missing tools fail the test under CI=true (the CI image must have them)
/// and skip it elsewhere, with the same message saying how to install the tool.
/// </summary>
public static class RequiredTool
{
    public static string Locate(string name, string installHint)
    {
        var found = Find(name);
        if (found is not null) return found;
        var message = $"`{name}` is required for this test: install it with `{installHint}`";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message);
        else
            Assert.Ignore(message);
        return null!; // unreachable: both Assert calls throw
    }

    /// <summary>The full path of <paramref name="name"/> on PATH (or the path itself when it is one), else null.</summary>
    public static string? Find(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }
}
