namespace Harness.VirtualDevice.Transport;

public sealed record StreamAcceptedByHost(uint LocalId) : AdbTransportEvent;
