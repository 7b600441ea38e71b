namespace Harness.Proxy.Http2;

/// <summary>What we advertise and enforce on one HTTP/2 connection.</summary>
public sealed record Http2ConnectionOptions
{
    /// <summary>Each stream's receive window (SETTINGS_INITIAL_WINDOW_SIZE). Large, so one stream's 64 KiB body
    /// flows without waiting for a WINDOW_UPDATE round trip.</summary>
    public int InitialStreamWindowSize { get; init; } = 1 << 20;

    /// <summary>The connection's receive window, opened with a WINDOW_UPDATE right after the preface.</summary>
    public int ConnectionWindowSize { get; init; } = 16 << 20;

    /// <summary>SETTINGS_MAX_FRAME_SIZE: the largest frame we accept.</summary>
    public int MaxFrameSize { get; init; } = Http2Settings.DefaultMaxFrameSize;

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS the peer may open toward us (servers; clients never accept pushes).</summary>
    public int MaxConcurrentStreams { get; init; } = 128;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE: our decoder's dynamic table.</summary>
    public int HeaderTableSize { get; init; } = 4096;

    /// <summary>The largest dynamic table our encoder uses (at most what the peer allows).</summary>
    public int EncoderTableSize { get; init; } = 4096;

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE: a larger decoded header list resets its stream.</summary>
    public int MaxHeaderListSize { get; init; } = 64 * 1024;

    /// <summary>The largest encoded header block (HEADERS plus CONTINUATION) we buffer: a guard against CONTINUATION floods.</summary>
    public int MaxHeaderBlockSize { get; init; } = 256 * 1024;

    /// <summary>RFC 8441: advertise SETTINGS_ENABLE_CONNECT_PROTOCOL (servers), accepting extended CONNECT.</summary>
    public bool EnableConnectProtocol { get; init; }

    /// <summary>How many streams we reset are remembered, so the peer's frames already in flight on them are ignored.</summary>
    public int ResetStreamMemory { get; init; } = 256;
}
