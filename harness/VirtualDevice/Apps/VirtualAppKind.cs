namespace Harness.VirtualDevice.Apps;

/// <summary>How to run the apps of one kind (a virtual APK's "kind"): the launcher activity and a factory.</summary>
public sealed record VirtualAppKind(string Kind, string LauncherActivity, Func<VirtualAppContext, VirtualApp> Create);
