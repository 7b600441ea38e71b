namespace Harness.Proxy.Http2;

/// <summary>SETTINGS (6.5); an ACK carries no parameters.</summary>
public sealed record Http2SettingsFrame(bool Ack, IReadOnlyList<Http2Setting> Settings) : Http2Frame(0);
