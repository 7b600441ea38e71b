namespace Harness.VirtualDevice.Transport;

public sealed record StreamRefusedByHost(uint LocalId) : AdbTransportEvent;
