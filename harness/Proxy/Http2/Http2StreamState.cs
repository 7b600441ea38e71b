namespace Harness.Proxy.Http2;

/// <summary>The stream states of RFC 9113 5.1 (reserved states are never used: push is disabled).</summary>
public enum Http2StreamState
{
    Idle,
    Open,
    HalfClosedLocal,
    HalfClosedRemote,
    Closed,
}
