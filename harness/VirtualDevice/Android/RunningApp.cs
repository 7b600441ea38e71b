using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Android;

/// <summary>An app process: the app object and its pid.</summary>
public sealed record RunningApp(VirtualApp App, int Pid);
