namespace Harness.VirtualDevice.Transport;

public sealed record HostConnected(uint ProtocolVersion, uint MaxPayload, string HostBanner) : AdbTransportEvent;
