namespace Harness.Proxy.Http2;

/// <summary>The frame flags of RFC 9113 6 (ACK and END_STREAM share a bit on different frame types).</summary>
public static class Http2FrameFlags
{
    public const byte EndStream = 0x1;
    public const byte Ack = 0x1;
    public const byte EndHeaders = 0x4;
    public const byte Padded = 0x8;
    public const byte Priority = 0x20;
}
