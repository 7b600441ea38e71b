namespace Harness.VirtualDevice.Transport;

public sealed record StreamClosedByHost(uint LocalId) : AdbTransportEvent;
