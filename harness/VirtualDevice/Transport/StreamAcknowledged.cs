namespace Harness.VirtualDevice.Transport;

public sealed record StreamAcknowledged(uint LocalId) : AdbTransportEvent;
