using System.Text;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Shell;

/// <summary>pm, cmd package, dumpsys (package, activity, window).</summary>
internal static class PackageCommands
{
    public static void Register(Dictionary<string, ShellCommand> c)
    {
        c["pm"] = (i, ct) => Pm(i, i.Args.Skip(1).ToList(), ct);
        c["cmd"] = Cmd;
        c["dumpsys"] = Dumpsys;
    }

    private static async Task<int> Cmd(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        if (args.Count == 0) return await i.FailAsync("No service specified; use -l to list all services", ct, 20).ConfigureAwait(false);
        return args[0] switch
        {
            "package" => await Pm(i, args.Skip(1).ToList(), ct).ConfigureAwait(false),
            "activity" => await ActivityCommands.Am(i, args.Skip(1).ToList(), ct).ConfigureAwait(false),
            "settings" => await i.Shell.RunWordsAsync(["settings", .. args.Skip(1)], i.Io, i.Session, ct).ConfigureAwait(false),
            "input" => await i.Shell.RunWordsAsync(["input", .. args.Skip(1)], i.Io, i.Session, ct).ConfigureAwait(false),
            _ => await ErrorAsync(i, $"cmd: Can't find service: {args[0]}", 20, ct).ConfigureAwait(false),
        };
    }

    private static async Task<int> ErrorAsync(ShellInvocation i, string message, int code, CancellationToken ct)
    {
        await i.ErrLineAsync(message, ct).ConfigureAwait(false);
        return code;
    }

    private static async Task<int> Pm(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        var pm = i.Android.Packages;
        var verb = args.FirstOrDefault();
        var rest = args.Skip(1).ToList();
        var operands = rest.Where(a => !a.StartsWith('-')).ToList();
        switch (verb)
        {
            case "list" when rest.FirstOrDefault() == "packages":
                return await ListPackages(i, rest.Skip(1).ToList(), ct).ConfigureAwait(false);
            case "install":
                return await Install(i, rest, ct).ConfigureAwait(false);
            case "uninstall" when operands.Count > 0:
                var result = await pm.UninstallAsync(operands[^1], ct).ConfigureAwait(false);
                await i.OutLineAsync(result, ct).ConfigureAwait(false);
                return result == "Success" ? 0 : 1;
            case "clear" when operands.Count > 0:
                var cleared = await pm.ClearDataAsync(operands[^1], ct).ConfigureAwait(false);
                await i.OutLineAsync(cleared ? "Success" : "Failed", ct).ConfigureAwait(false);
                return cleared ? 0 : 1;
            case "path" when operands.Count > 0:
                var p = pm.Get(operands[^1]);
                if (p == null) return 1;
                await i.OutLineAsync("package:" + p.ApkPath, ct).ConfigureAwait(false);
                return 0;
            case "dump" when operands.Count > 0:
                await i.OutAsync(DumpPackage(i.Android, operands[^1]), ct).ConfigureAwait(false);
                return 0;
            case "resolve-activity":
                return await ResolveActivity(i, rest, ct).ConfigureAwait(false);
            case "grant": case "revoke": case "disable-user": case "enable":
                return 0;
            default:
                await i.ErrLineAsync($"Unknown command: {verb}", ct).ConfigureAwait(false);
                return 255;
        }
    }

    private static async Task<int> ListPackages(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        var showPath = args.Contains("-f");
        var thirdParty = args.Contains("-3");
        var systemOnly = args.Contains("-s");
        var versionCode = args.Contains("--show-versioncode");
        var filter = args.FirstOrDefault(a => !a.StartsWith('-'));
        var sb = new StringBuilder();
        foreach (var p in i.Android.Packages.All)
        {
            if (thirdParty && p.IsSystem || systemOnly && !p.IsSystem) continue;
            if (filter != null && !p.PackageName.Contains(filter, StringComparison.Ordinal)) continue;
            sb.Append("package:");
            if (showPath) sb.Append(p.ApkPath).Append('=');
            sb.Append(p.PackageName);
            if (versionCode) sb.Append(" versionCode:").Append(p.Manifest.VersionCode);
            sb.Append('\n');
        }
        await i.OutAsync(sb.ToString(), ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> Install(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        long? size = null;
        string? path = null;
        for (var a = 0; a < args.Count; a++)
        {
            if (args[a] == "-S" && a + 1 < args.Count && long.TryParse(args[a + 1], out var s)) { size = s; a++; }
            else if (args[a] is "-i" or "--user" or "--install-reason" or "-p" && a + 1 < args.Count) a++;
            else if (!args[a].StartsWith('-')) path = args[a];
        }
        byte[] apk;
        if (size is { } bytes)
        {
            apk = new byte[bytes];
            await i.Io.Stdin.ReadExactlyAsync(apk, ct).ConfigureAwait(false);
        }
        else if (path != null)
        {
            try { apk = i.Android.FileSystem.ReadFile(path, true); }
            catch (VirtualFileSystemException)
            {
                await i.ErrLineAsync($"Error: Unable to open file: {path}\nConsider using a file under /data/local/tmp/", ct).ConfigureAwait(false);
                await i.OutLineAsync("Error: Can't open file: " + path, ct).ConfigureAwait(false);
                return 1;
            }
        }
        else
        {
            await i.ErrLineAsync("Error: must either specify a package size or an APK file", ct).ConfigureAwait(false);
            return 1;
        }
        var result = await i.Android.Packages.InstallAsync(apk, ct).ConfigureAwait(false);
        await i.OutLineAsync(result, ct).ConfigureAwait(false);
        return result == "Success" ? 0 : 1;
    }

    private static async Task<int> ResolveActivity(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        var brief = args.Contains("--brief");
        string? pkg = null;
        for (var a = 0; a < args.Count; a++)
        {
            if (args[a] is "-c" or "-a" or "-d" or "--user" or "-n" && a + 1 < args.Count) { a++; continue; }
            if (!args[a].StartsWith('-')) pkg = args[a];
        }
        var p = pkg == null ? null : i.Android.Packages.Get(pkg);
        if (p == null || !i.Android.Packages.HasApp(p))
        {
            await i.OutLineAsync("No activity found", ct).ConfigureAwait(false);
            return 0;
        }
        if (brief) await i.OutAsync($"priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false\n{p.PackageName}/{p.LauncherActivityClass}\n", ct).ConfigureAwait(false);
        else await i.OutAsync($"Activity Resolver:\n  ActivityInfo:\n    name={p.LauncherActivityClass}\n    packageName={p.PackageName}\n    enabled=true exported=true directBootAware=false\n", ct).ConfigureAwait(false);
        return 0;
    }

    internal static string DumpPackage(VirtualAndroid android, string packageName)
    {
        var p = android.Packages.Get(packageName);
        if (p == null) return $"Unable to find package: {packageName}\n";
        var m = p.Manifest;
        var hash = (uint)p.PackageName.GetHashCode() & 0xFFFFFFF;
        var codePath = p.ApkPath[..p.ApkPath.LastIndexOf('/')];
        return $$"""
            Activity Resolver Table:
              Non-Data Actions:
                  android.intent.action.MAIN:
                    {{hash:x7}} {{p.LauncherComponent}} filter {{hash + 1:x7}}
                      Action: "android.intent.action.MAIN"
                      Category: "android.intent.category.LAUNCHER"

            Key Set Manager:
              [{{p.PackageName}}]
                  Signing KeySets: 57

            Packages:
              Package [{{p.PackageName}}] ({{hash:x7}}):
                userId={{p.Uid}}
                pkg=Package{{{hash + 2:x7}} {{p.PackageName}}}
                codePath={{codePath}}
                resourcePath={{codePath}}
                legacyNativeLibraryDir={{codePath}}/lib
                primaryCpuAbi=arm64-v8a
                secondaryCpuAbi=null
                versionCode={{m.VersionCode}} minSdk={{m.MinSdk}} targetSdk={{m.TargetSdk}}
                versionName={{m.VersionName}}
                splits=[base]
                apkSigningVersion=2
                signatures=PackageSignatures{{{hash + 4:x7}} version:2, signatures:[{{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(p.PackageName)))[..8].ToLowerInvariant()}}], past signatures:[]}
                applicationInfo=ApplicationInfo{{{hash + 3:x7}} {{p.PackageName}}}
                flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]
                dataDir=/data/user/0/{{p.PackageName}}
                timeStamp={{p.LastUpdateTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}}
                firstInstallTime={{p.FirstInstallTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}}
                lastUpdateTime={{p.LastUpdateTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}}
                installerPackageName=null
                User 0: ceDataInode=0 installed=true hidden=false suspended=false stopped={{(android.Activities.GetRunning(p.PackageName) == null ? "true" : "false")}} notLaunched=false enabled=0 instant=false virtual=false
                  runtime permissions:

            """;
    }

    private static async Task<int> Dumpsys(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        switch (args.FirstOrDefault())
        {
            case "package" when args.Count > 1:
                await i.OutAsync(DumpPackage(i.Android, args[^1]), ct).ConfigureAwait(false);
                return 0;
            case "activity":
                await i.OutAsync(ActivityCommands.DumpActivities(i.Android), ct).ConfigureAwait(false);
                return 0;
            case "power":
                await i.OutAsync(ActivityCommands.DumpPower(i.Android), ct).ConfigureAwait(false);
                return 0;
            case "window":
                await i.OutAsync(ActivityCommands.DumpWindows(i.Android), ct).ConfigureAwait(false);
                return 0;
            case null:
                await i.OutLineAsync("Currently running services:\n  activity\n  package\n  window", ct).ConfigureAwait(false);
                return 0;
            default:
                await i.ErrLineAsync($"Can't find service: {args[0]}", ct).ConfigureAwait(false);
                return 0;
        }
    }
}
