namespace Harness.VirtualDevice.Services;

/// <summary>One decoded shell v2 packet.</summary>
public sealed record ShellV2Packet(byte Id, byte[] Payload);
