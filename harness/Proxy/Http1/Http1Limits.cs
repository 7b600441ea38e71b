namespace Harness.Proxy.Http1;

/// <summary>Bounds that keep a hostile peer from growing the parser's buffer.</summary>
public sealed class Http1Limits
{
    /// <summary>Request line / status line plus all header lines; beyond this a request gets 431.</summary>
    public int MaxHeadBytes { get; init; } = 64 * 1024;
    public int MaxHeaderCount { get; init; } = 256;
    public int MaxChunkLineBytes { get; init; } = 4 * 1024;
    public int MaxTrailerBytes { get; init; } = 16 * 1024;
}
