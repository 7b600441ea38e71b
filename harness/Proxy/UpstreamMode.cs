namespace Harness.Proxy;

public enum UpstreamMode
{
    /// <summary>Answer every request locally; nothing leaves the machine.</summary>
    Sinkhole,
    /// <summary>Connect to the real origin (TLS validated) and relay.</summary>
    Forward,
}
