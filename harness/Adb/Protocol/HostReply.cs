namespace Harness.Adb.Protocol;

/// <summary>The server's answer to a request: OKAY, or FAIL with the reason it gave.</summary>
public readonly record struct HostReply(HostStatus Status, string? FailureReason)
{
    public bool IsOkay => Status == HostStatus.Okay;
}
