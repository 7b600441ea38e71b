using Harness.Adb;

namespace Harness.Scenarios;

/// <summary>
/// Puts the proxy CA into the system trust store of a rooted phone the way HTTP Toolkit's injection script does
/// (tmpfs over /system/etc/security/cacerts holding the existing CAs plus ours; on Android 14+ bind-mounted over
/// /apex/com.android.conscrypt/cacerts in the shell's, zygote's and every running app's mount namespace). The script
/// is sent as separate simple commands so each failure names its command, and pids are found on the host side.
/// </summary>
internal static class SystemCaInstaller
{
    public const string SystemStore = "/system/etc/security/cacerts";
    public const string ApexStore = "/apex/com.android.conscrypt/cacerts";
    private const string CopyDirectory = "/data/local/tmp/harness-ca-copy";

    /// <summary>Null on success, else what went wrong.</summary>
    public static async Task<string?> InstallAsync(AdbClient adb, string serial, RootAccess root, string certificatePem, string fileName, CancellationToken ct)
    {
        var hasApex = (await adb.ShellAsync(serial, "ls " + ApexStore, ct).ConfigureAwait(false)).ExitCode == 0;
        if (await IsInstalledAsync(adb, serial, fileName, hasApex, ct).ConfigureAwait(false)) return null;

        var staged = "/data/local/tmp/" + fileName;
        using (var content = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(certificatePem.Replace("\r\n", "\n"))))
            await adb.PushAsync(serial, content, staged, 0x8124, cancellationToken: ct).ConfigureAwait(false);

        var source = hasApex ? ApexStore : SystemStore;
        var commands = new List<string>
        {
            $"mkdir -p {CopyDirectory}",
            $"chmod 700 {CopyDirectory}",
            $"rm -rf {CopyDirectory}/*",
            $"cp {source}/* {CopyDirectory}/",
            $"mount -t tmpfs tmpfs {SystemStore}",
            $"mv {CopyDirectory}/* {SystemStore}/",
            $"mv {staged} {SystemStore}/",
            $"chown root:root {SystemStore}/*",
            $"chmod 644 {SystemStore}/*",
            $"chcon u:object_r:system_file:s0 {SystemStore}/",
            $"chcon u:object_r:system_file:s0 {SystemStore}/*",
        };
        if (hasApex)
        {
            commands.Add($"mount --bind {SystemStore} {ApexStore}");
            var zygotes = await PidsOfAsync(adb, serial, ["zygote", "zygote64"], ct).ConfigureAwait(false);
            var apps = await ChildrenOfAsync(adb, serial, zygotes, ct).ConfigureAwait(false);
            // Zygotes: apps started later inherit the mount; running apps need their own namespace mounted.
            foreach (var pid in zygotes.Concat(apps))
                commands.Add($"nsenter --mount=/proc/{pid}/ns/mnt -- mount --bind {SystemStore} {ApexStore}");
        }
        commands.Add($"rm -r {CopyDirectory}");

        foreach (var command in commands)
        {
            var result = await adb.ShellAsync(serial, root.Wrap(command), ct).ConfigureAwait(false);
            if (!result.Succeeded)
                return $"`{command}` failed ({result.ExitCode}): {(result.Stderr + result.Stdout).Trim()}";
        }
        return await IsInstalledAsync(adb, serial, fileName, hasApex, ct).ConfigureAwait(false)
            ? null
            : $"{fileName} is not readable in {SystemStore}{(hasApex ? " and " + ApexStore : "")} after injection";
    }

    /// <summary>Best effort: the mounts vanish at reboot anyway; null when undone.</summary>
    public static async Task<string?> UninstallAsync(AdbClient adb, string serial, RootAccess root, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var target in new[] { ApexStore, SystemStore })
        {
            var result = await adb.ShellAsync(serial, root.Wrap("umount " + target), ct).ConfigureAwait(false);
            if (!result.Succeeded) problems.Add($"umount {target}: {(result.Stderr + result.Stdout).Trim()}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static async Task<bool> IsInstalledAsync(AdbClient adb, string serial, string fileName, bool hasApex, CancellationToken ct)
    {
        var system = await adb.ShellAsync(serial, $"ls {SystemStore}/{fileName}", ct).ConfigureAwait(false);
        if (system.ExitCode != 0 || !system.Stdout.Contains(fileName, StringComparison.Ordinal)) return false;
        if (!hasApex) return true;
        var apex = await adb.ShellAsync(serial, $"ls {ApexStore}/{fileName}", ct).ConfigureAwait(false);
        return apex.ExitCode == 0 && apex.Stdout.Contains(fileName, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<int>> PidsOfAsync(AdbClient adb, string serial, IEnumerable<string> names, CancellationToken ct)
    {
        var pids = new List<int>();
        foreach (var name in names)
        {
            var result = await adb.ShellAsync(serial, "pidof " + name, ct).ConfigureAwait(false);
            foreach (var word in result.Stdout.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(word, out var pid)) pids.Add(pid);
        }
        return pids;
    }

    /// <summary>Children of the zygotes from `ps -A` (toybox columns: USER PID PPID …).</summary>
    private static async Task<IReadOnlyList<int>> ChildrenOfAsync(AdbClient adb, string serial, IReadOnlyList<int> parents, CancellationToken ct)
    {
        if (parents.Count == 0) return [];
        var result = await adb.ShellAsync(serial, "ps -A", ct).ConfigureAwait(false);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pidColumn = Array.IndexOf(header, "PID");
        var ppidColumn = Array.IndexOf(header, "PPID");
        if (pidColumn < 0 || ppidColumn < 0) return [];
        var children = new List<int>();
        foreach (var line in lines.Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length <= Math.Max(pidColumn, ppidColumn)) continue;
            if (int.TryParse(columns[pidColumn], out var pid) && int.TryParse(columns[ppidColumn], out var ppid) && parents.Contains(ppid))
                children.Add(pid);
        }
        return children;
    }
}
