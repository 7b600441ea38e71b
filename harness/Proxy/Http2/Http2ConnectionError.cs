namespace Harness.Proxy.Http2;

/// <summary>
/// The peer broke the protocol: we queued GOAWAY with <see cref="ErrorCode"/>, every open stream is reported reset,
/// and the connection ignores further input. The pump sends the output and closes the socket.
/// </summary>
public sealed record Http2ConnectionError(Http2ErrorCode ErrorCode, string Message) : Http2Event(0);
