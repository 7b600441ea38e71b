using Harness.Fuzz;

return FuzzHost.Main(args, new Dictionary<string, Action<byte[]>>
{
    ["adb-host"] = AdbHostTargets.HostProtocol,
    ["adb-transport"] = AdbTransportTargets.DeviceTransport,
    ["shell-v2"] = ShellV2Targets.BothCodecs,
    ["sync"] = SyncTargets.BothSides,
    ["uiautomator"] = UiAutomatorTargets.Hierarchy,
});
