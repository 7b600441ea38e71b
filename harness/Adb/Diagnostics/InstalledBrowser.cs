namespace Harness.Adb.Diagnostics;

/// <summary>A known browser package and, when installed, its version.</summary>
public sealed record InstalledBrowser(string PackageName, bool Installed, string? VersionName, long? VersionCode);
