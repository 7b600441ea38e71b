namespace Harness.Proxy.Http2;

/// <summary>The SETTINGS parameters of RFC 9113 6.5.2 and RFC 8441 3 (unknown identifiers are ignored).</summary>
public enum Http2SettingId : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
    EnableConnectProtocol = 0x8,
}
