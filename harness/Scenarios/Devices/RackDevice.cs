namespace Harness.Scenarios;

/// <summary>One phone of devices.json. The "virtual" block is for the rack launcher only; the harness ignores it.</summary>
public sealed record RackDevice(string Serial, bool IsVirtual);
