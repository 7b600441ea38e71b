namespace Harness.Proxy.Http2;

/// <summary>Why a stream ended before both sides finished it.</summary>
public enum Http2ResetOrigin
{
    /// <summary>The peer sent RST_STREAM.</summary>
    Peer,
    /// <summary>The peer broke the protocol on this stream; we sent RST_STREAM.</summary>
    Local,
    /// <summary>The peer's GOAWAY named a last stream below this one: it was never processed and may be retried.</summary>
    GoAway,
    /// <summary>The connection ended (end of input, or a connection error) with the stream unfinished.</summary>
    ConnectionLost,
}
