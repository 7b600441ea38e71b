using System.Security.Cryptography;
using System.Text;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Android;

/// <summary>Installs virtual APKs, lists packages, clears and removes app data; output strings match `pm`.</summary>
public sealed class PackageManagerService(VirtualAndroid android, VirtualAppCatalog catalog, TimeProvider clock)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, InstalledPackage> _packages = new(StringComparer.Ordinal);
    private int _nextUid = 10_150;

    public VirtualAppCatalog Catalog { get; } = catalog;

    public InstalledPackage? Get(string packageName)
    {
        lock (_lock) return _packages.TryGetValue(packageName, out var p) ? p : null;
    }

    public IReadOnlyList<InstalledPackage> All
    {
        get { lock (_lock) return _packages.Values.OrderBy(p => p.PackageName, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>
    /// Registers a system package (so `pm list packages` looks like a phone's). With a <paramref name="kind"/> the
    /// catalog knows (Settings, DocumentsUI) it runs that app; the default "system" kind has no app behind it.
    /// </summary>
    public void AddSystemPackage(string packageName, string versionName, long versionCode, string kind = "system", string launcherActivity = ".Main")
    {
        var now = clock.GetUtcNow();
        var manifest = new VirtualApkManifest(packageName, versionName, versionCode, kind);
        lock (_lock) _packages[packageName] = new InstalledPackage(manifest, $"/system/app/{packageName}/{packageName}.apk", 1000, launcherActivity, true, now, now);
    }

    /// <summary>True when an app runs behind the package (every installed APK; system packages whose kind the catalog has).</summary>
    public bool HasApp(InstalledPackage package) => Catalog.Find(package.Manifest.Kind) != null;

    /// <summary>The package whose app handles an intent action (`am start -a ACTION` without a package); null when none does.</summary>
    public InstalledPackage? ResolveAction(string action) =>
        All.FirstOrDefault(p => Catalog.Find(p.Manifest.Kind)?.Handles(action) == true);

    /// <summary>False when the package's app declares the actions it handles and <paramref name="action"/> is not one of them.</summary>
    public bool CanHandle(InstalledPackage package, string action)
    {
        var kind = Catalog.Find(package.Manifest.Kind);
        return kind?.IntentActions is not { Count: > 0 } || action == AppIntent.ActionMain || kind.Handles(action);
    }

    /// <summary>pm install / cmd package install. Returns "Success" or "Failure [CODE: message]".</summary>
    public async Task<string> InstallAsync(byte[] apk, CancellationToken ct)
    {
        VirtualApkManifest manifest;
        try { manifest = VirtualApk.Parse(apk); }
        catch (VirtualApkException e) { return $"Failure [INSTALL_FAILED_INVALID_APK: Failed to parse base.apk: {e.Message}]"; }
        var kind = Catalog.Find(manifest.Kind);
        if (kind == null) return $"Failure [INSTALL_FAILED_INVALID_APK: Failed to parse base.apk: unknown virtual app kind '{manifest.Kind}']";
        if (manifest.MinSdk > android.Profile.Sdk)
            return $"Failure [INSTALL_FAILED_OLDER_SDK: Failed parse during installPackageLI: /data/app/vmdl.tmp/base.apk (at Binary XML file line #7): Requires newer sdk version #{manifest.MinSdk} (current version is #{android.Profile.Sdk})]";
        var existing = Get(manifest.Package);
        if (existing != null && existing.Manifest.VersionCode > manifest.VersionCode)
            return $"Failure [INSTALL_FAILED_VERSION_DOWNGRADE: Package Verification Result]";
        if (existing != null) await android.Activities.ForceStopAsync(manifest.Package, ct).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        var suffix = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.Package + now.Ticks)))[..22].Replace('/', '_').Replace('+', '-');
        var apkPath = $"/data/app/~~{suffix[..11]}==/{manifest.Package}-{suffix[11..]}==/base.apk";
        if (existing != null) android.FileSystem.Delete(existing.ApkPath[..existing.ApkPath.LastIndexOf('/')], recursive: true, asRoot: true);
        android.FileSystem.CreateDirectory(apkPath[..apkPath.LastIndexOf('/')], parents: true, asRoot: true);
        android.FileSystem.WriteFile(apkPath, apk, asRoot: true);
        android.FileSystem.CreateDirectory($"/data/data/{manifest.Package}", parents: true, asRoot: true);
        lock (_lock)
        {
            var uid = existing?.Uid ?? _nextUid++;
            _packages[manifest.Package] = new InstalledPackage(manifest, apkPath, uid, kind.LauncherActivity, false, existing?.FirstInstallTime ?? now, now);
        }
        android.Log.Write(1000, 'I', "PackageManager", $"installed {manifest.Package} versionCode={manifest.VersionCode}");
        return "Success";
    }

    public async Task<string> UninstallAsync(string packageName, CancellationToken ct)
    {
        var existing = Get(packageName);
        if (existing == null || existing.IsSystem) return "Failure [DELETE_FAILED_INTERNAL_ERROR]";
        await android.Activities.ForceStopAsync(packageName, ct).ConfigureAwait(false);
        WipeData(packageName, removeDirectory: true);
        android.FileSystem.Delete(existing.ApkPath[..existing.ApkPath.LastIndexOf('/')], recursive: true, asRoot: true);
        lock (_lock) _packages.Remove(packageName);
        return "Success";
    }

    public async Task<bool> ClearDataAsync(string packageName, CancellationToken ct)
    {
        if (Get(packageName) == null) return false;
        await android.Activities.ForceStopAsync(packageName, ct).ConfigureAwait(false);
        WipeData(packageName, removeDirectory: false);
        return true;
    }

    private void WipeData(string packageName, bool removeDirectory)
    {
        var dir = $"/data/data/{packageName}";
        if (!android.FileSystem.Exists(dir)) return;
        if (removeDirectory) { android.FileSystem.Delete(dir, recursive: true, asRoot: true); return; }
        foreach (var child in android.FileSystem.List(dir)) android.FileSystem.Delete(child.Path, recursive: true, asRoot: true);
    }
}
