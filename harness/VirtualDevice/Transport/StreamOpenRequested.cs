namespace Harness.VirtualDevice.Transport;

public sealed record StreamOpenRequested(uint LocalId, string Service) : AdbTransportEvent;
