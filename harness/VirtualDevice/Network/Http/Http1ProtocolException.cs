namespace Harness.VirtualDevice.Network.Http;

/// <summary>The peer sent bytes that are not valid HTTP/1.1.</summary>
public sealed class Http1ProtocolException : FormatException
{
    public Http1ProtocolException(string message)
        : base(message)
    {
    }
}
