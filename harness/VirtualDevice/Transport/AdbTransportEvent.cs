namespace Harness.VirtualDevice.Transport;

/// <summary>What the device-side protocol state machine reports after consuming a message from the host.</summary>
public abstract record AdbTransportEvent;
