namespace Harness.TestSupport;

/// <summary>
/// The public files from real phones and tools (`../shared/real-world` beside the checkout, never copied into it).
/// A test that needs them fails with a message naming where they were looked for.
/// </summary>
public static class RealWorldArtifacts
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("no Harness.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>`../shared/real-world` relative to the repository root.</summary>
    public static string Directory
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "real-world"));
            if (!System.IO.Directory.Exists(path))
                Assert.Fail($"the real-world artifacts are missing: expected them in {path} (../shared/real-world beside the checkout)");
            return path;
        }
    }

    /// <summary>Every file of one kind folder, e.g. "uiautomator"; fails when the folder is missing or empty.</summary>
    public static IReadOnlyList<string> Files(string kind)
    {
        var folder = Path.Combine(Directory, kind);
        var files = System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0) Assert.Fail($"no real-world {kind} files in {folder}");
        return files;
    }

    public static string File(string kind, string name)
    {
        var path = Path.Combine(Directory, kind, name);
        if (!System.IO.File.Exists(path)) Assert.Fail($"real-world file missing: {path}");
        return path;
    }
}
