namespace Harness.Proxy.Http2;

/// <summary>The peer acknowledged our SETTINGS: they are in force from now on.</summary>
public sealed record Http2SettingsAcknowledged() : Http2Event(0);
