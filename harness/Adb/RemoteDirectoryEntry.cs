namespace Harness.Adb;

/// <summary>One DENT of a sync LIST.</summary>
public sealed record RemoteDirectoryEntry(string Name, uint Mode, ulong Size, DateTimeOffset Modified)
{
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
}
