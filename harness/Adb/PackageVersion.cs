namespace Harness.Adb;

/// <summary>versionName / versionCode of an installed package, from `dumpsys package`.</summary>
public sealed record PackageVersion(string PackageName, string VersionName, long VersionCode);
