namespace Harness.Proxy.Http2;

/// <summary>WINDOW_UPDATE (6.9); stream 0 is the connection's window.</summary>
public sealed record Http2WindowUpdateFrame(int StreamId, int Increment) : Http2Frame(StreamId);
