namespace Harness.Adb.Protocol;

public enum SyncReplyKind
{
    Stat,
    StatV2,
    DirectoryEntry,
    Data,
    Done,
    Okay,
    Fail,
}
