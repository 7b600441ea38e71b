namespace Harness.VirtualDevice.Android;

/// <summary>stat() of a virtual file: Mode carries the type bits (S_IFDIR 040000, S_IFREG 0100000) and permissions.</summary>
public sealed record VfsEntry(string Path, string Name, bool IsDirectory, uint Mode, long Size, long ModifiedUnixSeconds, ulong Inode, uint Uid, uint Gid);
