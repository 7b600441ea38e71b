namespace Harness.Browsers;

/// <summary>The installed version of a browser matches no version range of its profile: the YAML needs a new range.</summary>
public sealed class BrowserVersionNotSupportedException : Exception
{
    public BrowserVersionNotSupportedException(BrowserProfile profile, string installedVersion)
        : base($"{profile.Package} {installedVersion} is installed, but no version range in {profile.SourceFile} matches it " +
               $"(ranges: {string.Join("; ", profile.VersionRanges.Select(r => $"\"{r.Range.Text}\""))}); add a range for it to the profile")
    {
        ProfileFile = profile.SourceFile;
        InstalledVersion = installedVersion;
    }

    public string ProfileFile { get; }
    public string InstalledVersion { get; }
}
