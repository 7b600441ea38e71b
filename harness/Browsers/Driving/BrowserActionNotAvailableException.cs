namespace Harness.Browsers;

/// <summary>The installed version has no such action (e.g. Enhanced Incognito Mode before the 2020 fix); the scenario does not apply to it.</summary>
public sealed class BrowserActionNotAvailableException : Exception
{
    public BrowserActionNotAvailableException(BrowserProfile profile, string installedVersion, BrowserVersionRange range, BrowserAction action)
        : base($"{profile.Name} {installedVersion} has no \"{action.ToName()}\" (version range \"{range.Range.Text}\" in {profile.SourceFile} does not list it)")
    {
        Action = action;
        InstalledVersion = installedVersion;
    }

    public BrowserAction Action { get; }
    public string InstalledVersion { get; }
}
