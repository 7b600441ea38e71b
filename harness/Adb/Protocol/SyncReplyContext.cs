namespace Harness.Adb.Protocol;

/// <summary>What request a sync reply answers; `DONE` has a different length after LIST than after RECV, so the decoder must know.</summary>
public enum SyncReplyContext
{
    Stat,
    StatV2,
    List,
    Receive,
    Send,
}
