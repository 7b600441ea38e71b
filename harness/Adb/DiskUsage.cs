namespace Harness.Adb;

/// <summary>One filesystem line of `df`, in bytes.</summary>
public sealed record DiskUsage(string Filesystem, string MountedOn, long SizeBytes, long UsedBytes, long AvailableBytes);
