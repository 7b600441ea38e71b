namespace Harness.VirtualDevice.Android;

/// <summary>
/// The phone's file tree, in memory. Models what the harness relies on: shell-writable /sdcard and /data/local/tmp,
/// root-only /data, a read-only /system and /apex that become writable under a tmpfs mount, and bind mounts
/// (the CA-injection trick: tmpfs over /system/etc/security/cacerts, bind onto /apex/com.android.conscrypt/cacerts).
/// </summary>
/// <remarks>Permissions are written in hex because C# has no octal literals: 0x1F9 = 0771, 0x1ED = 0755, 0x1A4 = 0644.</remarks>
public sealed class VirtualFileSystem
{
    private const uint ShellUid = 2000;
    private static readonly string[] ShellWritable = ["/sdcard", "/storage/emulated/0", "/data/local/tmp"];
    private static readonly string[] ReadOnlyRoots = ["/system", "/apex", "/vendor", "/proc"];

    private readonly object _lock = new();
    private readonly SortedDictionary<string, VfsNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<string> _tmpfsMounts = new();
    /// <summary>What each tmpfs covers, shown again on umount as on a real kernel.</summary>
    private readonly Dictionary<string, List<KeyValuePair<string, VfsNode>>> _coveredByTmpfs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bindMounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<bool, byte[]>> _generated = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private ulong _nextInode = 1000;

    public VirtualFileSystem(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        AddDirectory("/", 0x1ED, 0);
    }

    public static string Normalize(string path)
    {
        if (!path.StartsWith('/')) path = "/" + path;
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static bool IsUnder(string path, string root) => path == root || path.StartsWith(root == "/" ? "/" : root + "/", StringComparison.Ordinal);
    private static string Parent(string path) => path == "/" ? "/" : (path.LastIndexOf('/') is var i && i <= 0 ? "/" : path[..i]);

    /// <summary>The path with bind mounts followed: what the kernel would really open.</summary>
    public string Resolve(string path)
    {
        var p = Normalize(path);
        lock (_lock)
        {
            foreach (var (target, source) in _bindMounts)
            {
                if (IsUnder(p, target)) return source + p[target.Length..];
            }
        }
        return p;
    }

    /// <summary>A file whose content is computed on every read (e.g. /proc/net/tcp); the argument says whether root reads it.</summary>
    public void AddGeneratedFile(string path, Func<bool, byte[]> content)
    {
        var p = Normalize(path);
        lock (_lock)
        {
            EnsureParents(p, 0);
            _generated[p] = content;
            _nodes[p] = new VfsNode { IsDirectory = false, Permissions = 0x124, Inode = _nextInode++, ModifiedUnixSeconds = Now() };
        }
    }

    /// <summary>Seeds a file, bypassing permissions (image contents).</summary>
    public void AddFile(string path, byte[] content, uint permissions = 0x1A4, uint uid = 0)
    {
        var p = Normalize(path);
        lock (_lock)
        {
            EnsureParents(p, uid);
            _nodes[p] = new VfsNode { IsDirectory = false, Content = content, Permissions = permissions, Inode = _nextInode++, ModifiedUnixSeconds = Now(), Uid = uid, Gid = uid };
        }
    }

    public void AddDirectory(string path, uint permissions = 0x1F9, uint uid = 0)
    {
        var p = Normalize(path);
        lock (_lock)
        {
            EnsureParents(p, uid);
            if (!_nodes.ContainsKey(p)) _nodes[p] = new VfsNode { IsDirectory = true, Permissions = permissions, Inode = _nextInode++, ModifiedUnixSeconds = Now(), Uid = uid, Gid = uid };
        }
    }

    public bool Exists(string path) { var p = Resolve(path); lock (_lock) return _nodes.ContainsKey(p); }
    public bool IsDirectory(string path) { var p = Resolve(path); lock (_lock) return _nodes.TryGetValue(p, out var n) && n.IsDirectory; }
    public bool IsFile(string path) { var p = Resolve(path); lock (_lock) return _nodes.TryGetValue(p, out var n) && !n.IsDirectory; }

    public VfsEntry? Stat(string path)
    {
        var p = Resolve(path);
        lock (_lock) return _nodes.TryGetValue(p, out var n) ? ToEntry(p, n) : null;
    }

    public byte[] ReadFile(string path, bool asRoot = false)
    {
        var p = Resolve(path);
        Func<bool, byte[]>? generator;
        lock (_lock)
        {
            if (!_nodes.TryGetValue(p, out var n)) throw VirtualFileSystemException.NotFound();
            if (n.IsDirectory) throw VirtualFileSystemException.IsDirectory();
            if (!_generated.TryGetValue(p, out generator)) return n.Content;
        }
        return generator(asRoot);
    }

    public IReadOnlyList<VfsEntry> List(string path)
    {
        var p = Resolve(path);
        lock (_lock)
        {
            if (!_nodes.TryGetValue(p, out var dir)) throw VirtualFileSystemException.NotFound();
            if (!dir.IsDirectory) throw VirtualFileSystemException.NotDirectory();
            var result = new List<VfsEntry>();
            foreach (var (key, node) in _nodes)
            {
                if (key != p && Parent(key) == p) result.Add(ToEntry(key, node));
            }
            return result;
        }
    }

    public void WriteFile(string path, byte[] content, bool asRoot, uint? permissions = null, long? modifiedUnixSeconds = null)
    {
        var p = Resolve(path);
        lock (_lock)
        {
            CheckWritable(p, asRoot);
            if (!_nodes.TryGetValue(Parent(p), out var parent)) throw VirtualFileSystemException.NotFound();
            if (!parent.IsDirectory) throw VirtualFileSystemException.NotDirectory();
            if (_nodes.TryGetValue(p, out var existing))
            {
                if (existing.IsDirectory) throw VirtualFileSystemException.IsDirectory();
                existing.Content = content;
                if (permissions is { } mode) existing.Permissions = mode & 0xFFF;
                existing.ModifiedUnixSeconds = modifiedUnixSeconds ?? Now();
                return;
            }
            var uid = asRoot ? 0u : ShellUid;
            _nodes[p] = new VfsNode { IsDirectory = false, Content = content, Permissions = (permissions ?? 0x1A4) & 0xFFF, Inode = _nextInode++, ModifiedUnixSeconds = modifiedUnixSeconds ?? Now(), Uid = uid, Gid = uid };
        }
    }

    public void CreateDirectory(string path, bool parents, bool asRoot)
    {
        var p = Resolve(path);
        lock (_lock)
        {
            if (_nodes.TryGetValue(p, out var existing))
            {
                if (parents && existing.IsDirectory) return;
                throw new VirtualFileSystemException("File exists", 17);
            }
            CheckWritable(p, asRoot);
            if (!_nodes.ContainsKey(Parent(p)))
            {
                if (!parents) throw VirtualFileSystemException.NotFound();
                CreateDirectory(Parent(p), true, asRoot);
            }
            var uid = asRoot ? 0u : ShellUid;
            _nodes[p] = new VfsNode { IsDirectory = true, Permissions = 0x1F9, Inode = _nextInode++, ModifiedUnixSeconds = Now(), Uid = uid, Gid = uid };
        }
    }

    public void Delete(string path, bool recursive, bool asRoot)
    {
        var p = Resolve(path);
        lock (_lock)
        {
            if (!_nodes.TryGetValue(p, out var node)) throw VirtualFileSystemException.NotFound();
            CheckWritable(p, asRoot);
            var children = _nodes.Keys.Where(k => k != p && IsUnder(k, p)).ToList();
            if (node.IsDirectory && children.Count > 0 && !recursive) throw VirtualFileSystemException.NotEmpty();
            foreach (var child in children) { _nodes.Remove(child); _generated.Remove(child); }
            _nodes.Remove(p);
        }
    }

    public void SetPermissions(string path, uint permissions, bool asRoot)
    {
        var p = Resolve(path);
        lock (_lock)
        {
            if (!_nodes.TryGetValue(p, out var node)) throw VirtualFileSystemException.NotFound();
            CheckWritable(p, asRoot);
            node.Permissions = permissions & 0xFFF;
        }
    }

    public void Copy(string source, string destination, bool asRoot)
    {
        var content = ReadFile(source, asRoot);
        var src = Stat(source)!;
        var dest = IsDirectory(destination) ? destination.TrimEnd('/') + "/" + src.Name : destination;
        WriteFile(dest, content, asRoot, src.Mode & 0xFFF);
    }

    public void Move(string source, string destination, bool asRoot)
    {
        var src = Resolve(source);
        var dest = Resolve(IsDirectory(destination) ? destination.TrimEnd('/') + "/" + src[(src.LastIndexOf('/') + 1)..] : destination);
        lock (_lock)
        {
            if (!_nodes.ContainsKey(src)) throw VirtualFileSystemException.NotFound();
            CheckWritable(src, asRoot);
            CheckWritable(dest, asRoot);
            if (!_nodes.ContainsKey(Parent(dest))) throw VirtualFileSystemException.NotFound();
            foreach (var key in _nodes.Keys.Where(k => IsUnder(k, src)).ToList())
            {
                var node = _nodes[key];
                _nodes.Remove(key);
                _nodes[dest + key[src.Length..]] = node;
            }
        }
    }

    /// <summary>mount -t tmpfs over a directory: it becomes empty and writable (by root).</summary>
    public void MountTmpfs(string path)
    {
        var p = Resolve(path);
        lock (_lock)
        {
            if (!_nodes.TryGetValue(p, out var dir) || !dir.IsDirectory) throw VirtualFileSystemException.NotFound();
            var covered = _nodes.Where(n => n.Key != p && IsUnder(n.Key, p)).ToList();
            foreach (var child in covered) _nodes.Remove(child.Key);
            if (!_tmpfsMounts.Contains(p))
            {
                _tmpfsMounts.Add(p);
                _coveredByTmpfs[p] = covered;
            }
        }
    }

    /// <summary>umount PATH: the newest mount there goes (a bind first, then a tmpfs, whose covered files come back).</summary>
    public void Unmount(string path)
    {
        var t = Normalize(path);
        lock (_lock)
        {
            if (_bindMounts.Remove(t)) return;
            var p = Resolve(path);
            if (!_tmpfsMounts.Remove(p)) throw VirtualFileSystemException.InvalidArgument();
            foreach (var child in _nodes.Keys.Where(k => k != p && IsUnder(k, p)).ToList()) _nodes.Remove(child);
            foreach (var (key, node) in _coveredByTmpfs[p]) _nodes[key] = node;
            _coveredByTmpfs.Remove(p);
        }
    }

    /// <summary>mount --bind SOURCE TARGET: TARGET shows SOURCE's content from now on.</summary>
    public void MountBind(string source, string target)
    {
        var s = Resolve(source);
        var t = Normalize(target);
        lock (_lock)
        {
            if (!_nodes.ContainsKey(s) || !_nodes.ContainsKey(t)) throw VirtualFileSystemException.NotFound();
            _bindMounts[t] = s;
        }
    }

    public IReadOnlyList<string> MountDescriptions()
    {
        lock (_lock)
        {
            return [.. _tmpfsMounts.Select(m => $"tmpfs {m} tmpfs rw,seclabel,relatime 0 0"), .. _bindMounts.Select(b => $"/dev/block/dm-0 {b.Key} ext4 ro,seclabel,relatime 0 0 (bind of {b.Value})")];
        }
    }

    private void CheckWritable(string p, bool asRoot)
    {
        if (ReadOnlyRoots.Any(r => IsUnder(p, r)))
        {
            if (!_tmpfsMounts.Any(m => IsUnder(p, m) && p != m)) throw VirtualFileSystemException.ReadOnly();
            if (!asRoot) throw VirtualFileSystemException.PermissionDenied();
            return;
        }
        if (asRoot) return;
        if (!ShellWritable.Any(r => IsUnder(p, r) && p != r)) throw VirtualFileSystemException.PermissionDenied();
    }

    private void EnsureParents(string p, uint uid)
    {
        var parent = Parent(p);
        if (p == "/" || _nodes.ContainsKey(parent)) return;
        EnsureParents(parent, uid);
        _nodes[parent] = new VfsNode { IsDirectory = true, Permissions = 0x1F9, Inode = _nextInode++, ModifiedUnixSeconds = Now(), Uid = uid, Gid = uid };
    }

    private VfsEntry ToEntry(string path, VfsNode n)
    {
        var size = _generated.ContainsKey(path) ? 0 : n.Content.LongLength;
        var mode = (n.IsDirectory ? 0x4000u : 0x8000u) | n.Permissions;
        var name = path == "/" ? "/" : path[(path.LastIndexOf('/') + 1)..];
        return new VfsEntry(path, name, n.IsDirectory, mode, n.IsDirectory ? 4096 : size, n.ModifiedUnixSeconds, n.Inode, n.Uid, n.Gid);
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();
}
