using System.Text;
using System.Text.RegularExpressions;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Shell;

/// <summary>toybox file tools over the virtual file system, plus mount/nsenter for CA injection.</summary>
internal static class FileCommands
{
    public static void Register(Dictionary<string, ShellCommand> c)
    {
        c["ls"] = Ls;
        c["cat"] = Cat;
        c["rm"] = Rm;
        c["mkdir"] = Mkdir;
        c["chmod"] = Chmod;
        c["chown"] = RootNoOp;
        c["chcon"] = RootNoOp;
        c["restorecon"] = RootNoOp;
        c["mv"] = (i, ct) => CopyOrMove(i, ct, move: true);
        c["cp"] = (i, ct) => CopyOrMove(i, ct, move: false);
        c["touch"] = Touch;
        c["mount"] = Mount;
        c["umount"] = Unmount;
        c["nsenter"] = Nsenter;
    }

    /// <summary>Expands '*' in the last path component against the directory (mksh would, before the command runs).</summary>
    internal static IReadOnlyList<string> Expand(ShellInvocation i, string path)
    {
        if (!path.Contains('*')) return [path];
        var slash = path.LastIndexOf('/');
        var dir = slash <= 0 ? (slash == 0 ? "/" : ".") : path[..slash];
        var pattern = "^" + Regex.Escape(path[(slash + 1)..]).Replace("\\*", ".*") + "$";
        if (!i.Android.FileSystem.IsDirectory(dir)) return [path];
        var matches = i.Android.FileSystem.List(dir).Where(e => Regex.IsMatch(e.Name, pattern)).Select(e => (dir == "/" ? "" : dir) + "/" + e.Name).Order(StringComparer.Ordinal).ToList();
        return matches.Count > 0 ? matches : [path];
    }

    private static (HashSet<char> Flags, List<string> Operands) Split(ShellInvocation i)
    {
        var flags = new HashSet<char>();
        var operands = new List<string>();
        foreach (var a in i.Args.Skip(1))
        {
            if (a.Length > 1 && a[0] == '-' && operands.Count == 0) foreach (var f in a[1..]) flags.Add(f);
            else operands.AddRange(Expand(i, a));
        }
        return (flags, operands);
    }

    private static async Task<int> Ls(ShellInvocation i, CancellationToken ct)
    {
        var (flags, paths) = Split(i);
        if (paths.Count == 0) paths.Add("/");
        var fs = i.Android.FileSystem;
        var status = 0;
        var sb = new StringBuilder();
        foreach (var path in paths)
        {
            var stat = fs.Stat(path);
            if (stat == null) { await i.ErrLineAsync($"ls: {path}: No such file or directory", ct).ConfigureAwait(false); status = 1; continue; }
            var entries = stat.IsDirectory && !flags.Contains('d') ? fs.List(path).OrderBy(e => e.Name, StringComparer.Ordinal).ToList() : [stat with { Name = path }];
            if (flags.Contains('l'))
            {
                if (stat.IsDirectory && !flags.Contains('d')) sb.Append($"total {entries.Count * 8}\n");
                foreach (var e in entries) sb.Append(LongFormat(e)).Append('\n');
            }
            else foreach (var e in entries) sb.Append(e.Name).Append('\n');
        }
        await i.OutAsync(sb.ToString(), ct).ConfigureAwait(false);
        return status;
    }

    private static string LongFormat(VfsEntry e)
    {
        var perms = new StringBuilder(e.IsDirectory ? "d" : "-");
        for (var shift = 6; shift >= 0; shift -= 3)
        {
            var bits = (e.Mode >> shift) & 7;
            perms.Append((bits & 4) != 0 ? 'r' : '-').Append((bits & 2) != 0 ? 'w' : '-').Append((bits & 1) != 0 ? 'x' : '-');
        }
        var owner = e.Uid switch { 0 => "root", 1000 => "system", 2000 => "shell", 1015 => "sdcard_rw", var u => $"u0_a{u - 10000}" };
        var time = DateTimeOffset.FromUnixTimeSeconds(e.ModifiedUnixSeconds).UtcDateTime;
        return $"{perms} 1 {owner,-6} {owner,-6} {e.Size,8} {time:yyyy-MM-dd HH:mm} {e.Name}";
    }

    private static async Task<int> Cat(ShellInvocation i, CancellationToken ct)
    {
        var (_, files) = Split(i);
        if (files.Count == 0)
        {
            await i.Io.Stdin.CopyToAsync(i.Io.Stdout, ct).ConfigureAwait(false);
            return 0;
        }
        var status = 0;
        foreach (var f in files)
        {
            try { await i.Io.Stdout.WriteAsync(i.Android.FileSystem.ReadFile(f, i.Session.IsRoot), ct).ConfigureAwait(false); }
            catch (VirtualFileSystemException e) { await i.ErrLineAsync($"cat: {f}: {e.Message}", ct).ConfigureAwait(false); status = 1; }
        }
        return status;
    }

    private static async Task<int> Rm(ShellInvocation i, CancellationToken ct)
    {
        var (flags, paths) = Split(i);
        var status = 0;
        foreach (var p in paths)
        {
            if (p.Contains('*')) continue; // an unmatched glob: toybox -f stays quiet, and so do we
            try
            {
                var stat = i.Android.FileSystem.Stat(p);
                if (stat == null) { if (!flags.Contains('f')) throw VirtualFileSystemException.NotFound(); continue; }
                if (stat.IsDirectory && !flags.Contains('r') && !flags.Contains('R')) throw VirtualFileSystemException.IsDirectory();
                i.Android.FileSystem.Delete(p, recursive: true, i.Session.IsRoot);
            }
            catch (VirtualFileSystemException e) { await i.ErrLineAsync($"rm: {p}: {e.Message}", ct).ConfigureAwait(false); status = 1; }
        }
        return status;
    }

    private static async Task<int> Mkdir(ShellInvocation i, CancellationToken ct)
    {
        var (flags, paths) = Split(i);
        var status = 0;
        foreach (var p in paths)
        {
            try { i.Android.FileSystem.CreateDirectory(p, flags.Contains('p'), i.Session.IsRoot); }
            catch (VirtualFileSystemException e) { await i.ErrLineAsync($"mkdir: '{p}': {e.Message}", ct).ConfigureAwait(false); status = 1; }
        }
        return status;
    }

    private static async Task<int> Chmod(ShellInvocation i, CancellationToken ct)
    {
        var (_, operands) = Split(i);
        if (operands.Count < 2) return await i.FailAsync("Needs 2 arguments", ct).ConfigureAwait(false);
        uint mode;
        try { mode = Convert.ToUInt32(operands[0], 8); }
        catch (FormatException) { return await i.FailAsync($"bad mode '{operands[0]}'", ct).ConfigureAwait(false); }
        var status = 0;
        foreach (var p in operands.Skip(1))
        {
            try { i.Android.FileSystem.SetPermissions(p, mode, i.Session.IsRoot); }
            catch (VirtualFileSystemException e) { await i.ErrLineAsync($"chmod: {p}: {e.Message}", ct).ConfigureAwait(false); status = 1; }
        }
        return status;
    }

    private static async Task<int> RootNoOp(ShellInvocation i, CancellationToken ct)
    {
        // Ownership and SELinux labels are not modelled; only the permission check is.
        if (!i.Session.IsRoot) return await i.FailAsync($"{i.Args.LastOrDefault()}: Operation not permitted", ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> CopyOrMove(ShellInvocation i, CancellationToken ct, bool move)
    {
        var (_, operands) = Split(i);
        if (operands.Count < 2) return await i.FailAsync("Needs 2 arguments", ct).ConfigureAwait(false);
        var destination = operands[^1];
        var sources = operands.Take(operands.Count - 1).ToList();
        var fs = i.Android.FileSystem;
        if (sources.Count > 1 && !fs.IsDirectory(destination)) return await i.FailAsync($"'{destination}' not directory", ct).ConfigureAwait(false);
        var status = 0;
        foreach (var s in sources)
        {
            try
            {
                if (move) fs.Move(s, destination, i.Session.IsRoot);
                else if (fs.IsDirectory(s)) throw new VirtualFileSystemException($"Is a directory (not copied)", 21);
                else fs.Copy(s, destination, i.Session.IsRoot);
            }
            catch (VirtualFileSystemException e) { await i.ErrLineAsync($"{i.Name}: {s}: {e.Message}", ct).ConfigureAwait(false); status = 1; }
        }
        return status;
    }

    private static async Task<int> Touch(ShellInvocation i, CancellationToken ct)
    {
        var (_, paths) = Split(i);
        foreach (var p in paths)
        {
            try
            {
                var fs = i.Android.FileSystem;
                fs.WriteFile(p, fs.IsFile(p) ? fs.ReadFile(p, i.Session.IsRoot) : [], i.Session.IsRoot);
            }
            catch (VirtualFileSystemException e) { return await i.FailAsync($"'{p}': {e.Message}", ct).ConfigureAwait(false); }
        }
        return 0;
    }

    private static async Task<int> Mount(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        var fs = i.Android.FileSystem;
        if (args.Count == 0)
        {
            await i.Io.Stdout.WriteAsync(fs.ReadFile("/proc/mounts"), ct).ConfigureAwait(false);
            return 0;
        }
        if (!i.Session.IsRoot) return await i.FailAsync("permission denied (are you root?)", ct).ConfigureAwait(false);
        string? type = null;
        var bind = false;
        var operands = new List<string>();
        for (var a = 0; a < args.Count; a++)
        {
            switch (args[a])
            {
                case "-t" when a + 1 < args.Count: type = args[++a]; break;
                case "-o" when a + 1 < args.Count: if (args[++a].Split(',').Contains("bind")) bind = true; break;
                case "--bind": case "-B": bind = true; break;
                default: operands.Add(args[a]); break;
            }
        }
        try
        {
            if (bind && operands.Count == 2) fs.MountBind(operands[0], operands[1]);
            else if (type == "tmpfs" && operands.Count == 2) fs.MountTmpfs(operands[1]);
            else if (type == "tmpfs" && operands.Count == 1) fs.MountTmpfs(operands[0]);
            else return await i.FailAsync($"'{string.Join(' ', operands)}': Invalid argument", ct).ConfigureAwait(false);
        }
        catch (VirtualFileSystemException e) { return await i.FailAsync($"'{operands[^1]}': {e.Message}", ct).ConfigureAwait(false); }
        return 0;
    }

    private static async Task<int> Unmount(ShellInvocation i, CancellationToken ct)
    {
        var targets = i.Args.Skip(1).Where(a => !a.StartsWith('-')).ToList();
        if (targets.Count == 0) return await i.FailAsync("needs 1 argument", ct).ConfigureAwait(false);
        if (!i.Session.IsRoot) return await i.FailAsync($"{targets[0]}: Operation not permitted", ct).ConfigureAwait(false);
        foreach (var target in targets)
        {
            try { i.Android.FileSystem.Unmount(target); }
            catch (VirtualFileSystemException e) { return await i.FailAsync($"{target}: {e.Message}", ct).ConfigureAwait(false); }
        }
        return 0;
    }

    /// <summary>nsenter --mount=/proc/PID/ns/mnt -- CMD: mount namespaces are not modelled, so the command runs in the one namespace.</summary>
    private static async Task<int> Nsenter(ShellInvocation i, CancellationToken ct)
    {
        if (!i.Session.IsRoot) return await i.FailAsync("reassociate to namespace 'ns/mnt' failed: Operation not permitted", ct).ConfigureAwait(false);
        var a = 1;
        while (a < i.Args.Count && i.Args[a].StartsWith('-') && i.Args[a] != "--") a++;
        if (a < i.Args.Count && i.Args[a] == "--") a++;
        if (a >= i.Args.Count) return 0;
        return await i.Shell.RunWordsAsync(i.Args.Skip(a).ToList(), i.Io, i.Session, ct).ConfigureAwait(false);
    }
}
