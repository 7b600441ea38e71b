namespace Harness.Adb;

/// <summary>Result of a sync STAT. A mode of 0 means the path does not exist (adbd's convention).</summary>
public sealed record FileStatistics(string Path, uint Mode, ulong Size, DateTimeOffset Modified)
{
    public bool Exists => Mode != 0;
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;
}
