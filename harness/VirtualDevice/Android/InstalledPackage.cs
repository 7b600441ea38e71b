using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Android;

/// <summary>A package known to the package manager.</summary>
public sealed record InstalledPackage(VirtualApkManifest Manifest, string ApkPath, int Uid, string LauncherActivity, bool IsSystem, DateTimeOffset FirstInstallTime, DateTimeOffset LastUpdateTime)
{
    public string PackageName => Manifest.Package;

    /// <summary>Launcher activity as a full class name (".MainActivity" → "pkg.MainActivity").</summary>
    public string LauncherActivityClass => LauncherActivity.StartsWith('.') ? PackageName + LauncherActivity : LauncherActivity;

    /// <summary>"pkg/.MainActivity", the short component name am prints.</summary>
    public string LauncherComponent => $"{PackageName}/{LauncherActivity}";
}
