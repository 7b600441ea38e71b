using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Rack;

/// <summary>One "virtual" entry of devices.json: which phone to start, where, and with which browsers as factory state.</summary>
public sealed record VirtualPhoneSpec(string Model, int Port, bool? Rooted, string? Locale, IReadOnlyList<BrowserVersion> Apps, double TimeFactor);
