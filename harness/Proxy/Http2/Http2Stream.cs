using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>The connection's book-keeping for one stream: state, both windows, what is queued to send.</summary>
internal sealed class Http2Stream(int id, bool initiatedLocally, long sendWindow, long receiveWindow)
{
    public int Id { get; } = id;
    public bool InitiatedLocally { get; } = initiatedLocally;
    public Http2StreamState State { get; set; } = Http2StreamState.Open;

    /// <summary>What we may still send (the peer's window for this stream); negative after a SETTINGS shrink.</summary>
    public long SendWindow { get; set; } = sendWindow;

    /// <summary>What the peer may still send before we open the window again.</summary>
    public long ReceiveWindow { get; set; } = receiveWindow;

    /// <summary>Received DATA octets handed to the receiver and not yet consumed.</summary>
    public long Unconsumed { get; set; }

    /// <summary>Consumed octets not yet returned to the peer with a WINDOW_UPDATE.</summary>
    public long ConsumedUnacknowledged { get; set; }

    /// <summary>Data submitted but not yet sent (windows closed), in order; the first one from <see cref="SendOffset"/>.</summary>
    public Queue<byte[]> SendQueue { get; } = new();
    public int SendOffset { get; set; }
    public long Buffered { get; set; }

    /// <summary>END_STREAM submitted: goes out with the last queued data (or the trailers).</summary>
    public bool EndStreamQueued { get; set; }
    public IReadOnlyList<HeaderField>? TrailersQueued { get; set; }

    /// <summary>The peer's header block that started the stream (request; or, in the client role, the final response) has arrived.</summary>
    public bool HeadReceived { get; set; }

    /// <summary>content-length of the peer's message, checked against its DATA (RFC 9113 8.1.1).</summary>
    public long? ExpectedLength { get; set; }
    public long ReceivedLength { get; set; }

    /// <summary>The request this stream carries is a HEAD (client role): its response has no content, whatever content-length says.</summary>
    public bool IsHeadRequest { get; set; }

    public bool LocalClosed => State is Http2StreamState.HalfClosedLocal or Http2StreamState.Closed;
    public bool RemoteClosed => State is Http2StreamState.HalfClosedRemote or Http2StreamState.Closed;
}
