namespace Harness.Proxy.Http1;

/// <summary>The current message ended; the next event belongs to the next message.</summary>
public sealed record Http1MessageComplete : Http1Event;
