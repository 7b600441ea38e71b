using Harness.Adb;
using Harness.Scenarios;

namespace Harness.Cli;

/// <summary>
/// Where a phone can trust our interception CA, by Android's file name for it (<c>&lt;subject_hash_old&gt;.0</c>): the
/// system store (and the conscrypt APEX copy on Android 14+), and the user store. Used by `harness doctor` to warn
/// when a phone still trusts us after a run, and by `harness ca uninstall` to take the trust away.
/// </summary>
internal static class PhoneCaTrust
{
    public const string SystemStore = "/system/etc/security/cacerts";
    public const string ApexStore = "/apex/com.android.conscrypt/cacerts";
    public const string UserStore = "/data/misc/user/0/cacerts-added";

    public static IReadOnlyList<string> StorePaths(string fileName) =>
        [$"{SystemStore}/{fileName}", $"{ApexStore}/{fileName}", $"{UserStore}/{fileName}"];

    /// <summary>The store paths that hold our CA. The user store is root-only on real phones, so root is used when given.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(AdbClient adb, string serial, string fileName, RootAccess? root, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var path in StorePaths(fileName))
        {
            var command = "ls " + ShellQuote.Quote(path);
            var result = await adb.ShellAsync(serial, root?.Wrap(command) ?? command, ct).ConfigureAwait(false);
            if (result.ExitCode == 0 && result.Stdout.Contains(fileName, StringComparison.Ordinal)) found.Add(path);
        }
        return found;
    }

    /// <summary>
    /// Removes our CA from every store that holds it: deletes the file (the injected system store is a tmpfs, the user
    /// store a plain directory), and if a system copy survives (read-only store), undoes the injection mounts.
    /// </summary>
    /// <returns>The paths that still hold the CA afterwards (empty on success).</returns>
    public static async Task<IReadOnlyList<string>> RemoveAsync(AdbClient adb, string serial, string fileName, RootAccess root, CancellationToken ct)
    {
        foreach (var path in await FindAsync(adb, serial, fileName, root, ct).ConfigureAwait(false))
            await adb.ShellAsync(serial, root.Wrap("rm -f " + ShellQuote.Quote(path)), ct).ConfigureAwait(false);
        var left = await FindAsync(adb, serial, fileName, root, ct).ConfigureAwait(false);
        if (left.Any(p => !p.StartsWith(UserStore, StringComparison.Ordinal)))
        {
            foreach (var mount in new[] { ApexStore, SystemStore })
                await adb.ShellAsync(serial, root.Wrap("umount " + mount), ct).ConfigureAwait(false);
            left = await FindAsync(adb, serial, fileName, root, ct).ConfigureAwait(false);
        }
        return left;
    }
}
