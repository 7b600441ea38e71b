namespace Harness.VirtualDevice.Android;

internal sealed class VfsNode
{
    public required bool IsDirectory { get; init; }
    public byte[] Content { get; set; } = [];
    public uint Permissions { get; set; }
    public long ModifiedUnixSeconds { get; set; }
    public required ulong Inode { get; init; }
    public uint Uid { get; set; }
    public uint Gid { get; set; }
}
