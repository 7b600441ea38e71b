namespace Harness.VirtualDevice.Transport;

/// <summary>Transport command words: four ASCII letters read as a little-endian uint32 (adb types.h).</summary>
public static class AdbCommand
{
    public const uint Cnxn = 0x4E584E43;
    public const uint Auth = 0x48545541;
    public const uint Open = 0x4E45504F;
    public const uint Okay = 0x59414B4F;
    public const uint Clse = 0x45534C43;
    public const uint Wrte = 0x45545257;
    public const uint Sync = 0x434E5953;

    public const uint VersionMin = 0x01000000;
    public const uint VersionSkipChecksum = 0x01000001;
    public const uint MaxPayloadV1 = 4096;
    public const uint MaxPayload = 1024 * 1024;

    public static string Name(uint command) => command switch
    {
        Cnxn => "CNXN",
        Auth => "AUTH",
        Open => "OPEN",
        Okay => "OKAY",
        Clse => "CLSE",
        Wrte => "WRTE",
        Sync => "SYNC",
        _ => $"0x{command:X8}",
    };
}
