namespace Harness.Proxy.Layers;

/// <summary>How a relayed HTTP/1.1 response ended: may each side's connection carry another exchange, did it switch protocols.</summary>
internal readonly record struct Http1ResponseOutcome(bool ClientKeepAlive, bool UpstreamKeepAlive, bool SwitchedProtocols);
