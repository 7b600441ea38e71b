namespace Harness.Proxy.Http2;

/// <summary>
/// A WINDOW_UPDATE or SETTINGS let the connection send everything it had buffered for this stream: a pump that paused
/// reading the other side of a relay (to hold back its peer) can resume.
/// </summary>
public sealed record Http2SendBufferDrained(int StreamId) : Http2Event(StreamId);
