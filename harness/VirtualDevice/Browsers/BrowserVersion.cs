using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Browsers;

/// <summary>One shipped version of a browser: its flavor, version name and code, and behaviour.</summary>
public sealed record BrowserVersion(BrowserFlavor Flavor, string VersionName, long VersionCode, BrowserVersionTraits Traits)
{
    /// <summary>"mint@3.4.0", as devices.json names it.</summary>
    public string Name => $"{Flavor.Id}@{VersionName}";

    public VirtualApkManifest Manifest => new(Flavor.Package, VersionName, VersionCode, Flavor.Kind, Traits.ToJson(), MinSdk: 21, TargetSdk: 29);

    /// <summary>The installable virtual APK (a zip with the manifest).</summary>
    public byte[] BuildApk() => VirtualApk.Build(Manifest);

    /// <summary>File name for the apk folder, e.g. "com.mi.globalbrowser.mini-3.4.0.apk".</summary>
    public string ApkFileName => $"{Flavor.Package}-{VersionName}.apk";
}
