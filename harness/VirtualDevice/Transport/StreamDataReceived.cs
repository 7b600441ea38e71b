namespace Harness.VirtualDevice.Transport;

public sealed record StreamDataReceived(uint LocalId, byte[] Data) : AdbTransportEvent;
