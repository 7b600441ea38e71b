namespace Harness.Proxy;

/// <summary>The client went away or broke the protocol in the middle of an exchange.</summary>
internal sealed class ClientAbortException(string message, Exception? inner = null) : Exception(message, inner);
