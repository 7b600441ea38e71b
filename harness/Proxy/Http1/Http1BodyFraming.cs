namespace Harness.Proxy.Http1;

/// <summary>How the end of a message body is found (RFC 9112 §6.3).</summary>
public enum Http1BodyFraming
{
    None,
    ContentLength,
    Chunked,
    /// <summary>Response body ends when the server closes the connection.</summary>
    UntilClose,
}
