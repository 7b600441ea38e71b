namespace Harness.Proxy.Http1;

/// <summary>
/// The input is not acceptable HTTP/1.1. The parser emits nothing more after this.
/// <see cref="StatusCode"/> is what a server should answer (400, 431, 501, 505), or 502 for a bad response.
/// </summary>
public sealed record Http1ParseError(int StatusCode, string Message) : Http1Event;
