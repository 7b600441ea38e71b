namespace Harness.VirtualDevice.Network.Http;

/// <summary>
/// A parsed HTTP/1.x message. For a request <see cref="Method"/> and <see cref="Target"/> are set, for a
/// response <see cref="StatusCode"/> and <see cref="ReasonPhrase"/>. The body is de-framed (chunking removed)
/// but not decoded (Content-Encoding is left to the caller).
/// </summary>
public sealed record Http1Message(
    Http1MessageKind Kind,
    string Version,
    string Method,
    string Target,
    int StatusCode,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    /// <summary>The first header with this name (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Whether the connection may carry another message after this one.</summary>
    public bool KeepsConnectionAlive =>
        Header("Connection") is { } connection
            ? !connection.Contains("close", StringComparison.OrdinalIgnoreCase)
            : Version == "HTTP/1.1";
}
