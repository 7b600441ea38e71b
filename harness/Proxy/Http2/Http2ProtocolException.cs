namespace Harness.Proxy.Http2;

/// <summary>
/// A violation of RFC 9113 found in received bytes. <see cref="StreamId"/> 0 is a connection error (the connection
/// sends GOAWAY and stops); otherwise it is a stream error (that stream is reset, the connection goes on).
/// </summary>
public sealed class Http2ProtocolException(Http2ErrorCode errorCode, string message, int streamId = 0) : Exception(message)
{
    public Http2ErrorCode ErrorCode { get; } = errorCode;
    public int StreamId { get; } = streamId;
    public bool IsConnectionError => StreamId == 0;
}
