namespace Harness.Adb.Protocol;

/// <summary>One shell v2 packet: `[id u8][length u32 LE][payload]`.</summary>
public sealed record ShellV2Packet(ShellV2StreamId Id, byte[] Payload);
