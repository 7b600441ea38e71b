namespace Harness.Adb;

/// <summary>One event of track-devices: a phone appeared, went away, or changed state (PreviousState set).</summary>
public sealed record DeviceChange(DeviceChangeKind Kind, DeviceData Device, DeviceState? PreviousState = null);
