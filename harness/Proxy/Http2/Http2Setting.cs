namespace Harness.Proxy.Http2;

/// <summary>One identifier/value pair of a SETTINGS frame.</summary>
public readonly record struct Http2Setting(Http2SettingId Id, uint Value);
