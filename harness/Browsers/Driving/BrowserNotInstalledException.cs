namespace Harness.Browsers;

/// <summary>The profile's package is not installed on the phone.</summary>
public sealed class BrowserNotInstalledException : Exception
{
    public BrowserNotInstalledException(BrowserProfile profile)
        : base($"{profile.Name} ({profile.Package}, profile {profile.SourceFile}) is not installed on the phone") =>
        Package = profile.Package;

    public string Package { get; }
}
