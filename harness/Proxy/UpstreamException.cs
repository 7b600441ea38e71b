namespace Harness.Proxy;

/// <summary>Something went wrong on the proxy's side toward the origin (as opposed to the client's side).</summary>
internal sealed class UpstreamException(string message, Exception? inner = null) : Exception(message, inner);
