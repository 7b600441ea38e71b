namespace Harness.Adb.Protocol;

/// <summary>One decoded sync reply frame. Which fields are set depends on <see cref="Kind"/>.</summary>
public sealed record SyncReply(SyncReplyKind Kind)
{
    public uint Mode { get; init; }
    public ulong Size { get; init; }
    public long ModifiedUnixSeconds { get; init; }
    /// <summary>errno from STA2 (0 = ok).</summary>
    public uint Error { get; init; }
    public string? Name { get; init; }
    public byte[]? Data { get; init; }
    public string? FailureMessage { get; init; }
}
