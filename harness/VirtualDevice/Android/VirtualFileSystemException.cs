namespace Harness.VirtualDevice.Android;

/// <summary>A file operation failed; the message is the strerror text ("No such file or directory").</summary>
public sealed class VirtualFileSystemException(string message, int errno) : Exception(message)
{
    public int Errno { get; } = errno;

    public static VirtualFileSystemException NotFound() => new("No such file or directory", 2);
    public static VirtualFileSystemException PermissionDenied() => new("Permission denied", 13);
    public static VirtualFileSystemException ReadOnly() => new("Read-only file system", 30);
    public static VirtualFileSystemException IsDirectory() => new("Is a directory", 21);
    public static VirtualFileSystemException NotDirectory() => new("Not a directory", 20);
    public static VirtualFileSystemException NotEmpty() => new("Directory not empty", 39);
    public static VirtualFileSystemException InvalidArgument() => new("Invalid argument", 22);
}
