namespace Harness.Proxy.Http2;

/// <summary>Which end of the connection we are.</summary>
public enum Http2Role
{
    /// <summary>Toward an origin: we send the preface, open odd streams with requests, receive responses.</summary>
    Client,
    /// <summary>Toward a client: we expect the preface, receive requests, answer with responses.</summary>
    Server,
}
