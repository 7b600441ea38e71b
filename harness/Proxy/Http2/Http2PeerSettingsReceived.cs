namespace Harness.Proxy.Http2;

/// <summary>The peer's SETTINGS arrived (and were acknowledged); <see cref="Settings"/> is the peer's whole state after them.</summary>
public sealed record Http2PeerSettingsReceived(Http2Settings Settings) : Http2Event(0);
