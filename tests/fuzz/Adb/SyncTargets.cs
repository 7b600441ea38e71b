using Harness.Adb;
using Harness.Adb.Protocol;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Services;

namespace Harness.Fuzz;

/// <summary>
/// Sync framing, both ends: the host decoder for phone replies in every context (first input byte picks it), and the
/// virtual phone's `sync:` service running over the input as its request stream. The host's documented rejection is
/// <see cref="AdbProtocolException"/>; the phone's service answers FAIL and must never throw.
/// </summary>
public static class SyncTargets
{
    private static readonly SyncReplyContext[] Contexts = Enum.GetValues<SyncReplyContext>();

    public static void BothSides(byte[] input)
    {
        if (input.Length == 0) return;
        var context = Contexts[input[0] % Contexts.Length];
        ReadOnlySpan<byte> rest = input.AsSpan(1);
        try
        {
            while (SyncProtocol.TryDecodeReply(rest, context, out _, out var consumed) && consumed > 0)
                rest = rest[consumed..];
        }
        catch (AdbProtocolException)
        {
        }

        var fileSystem = new VirtualFileSystem();
        using var requests = new MemoryStream(input, 1, input.Length - 1, writable: false);
        using var replies = new MemoryStream();
        new SyncService(fileSystem).RunAsync(requests, replies, CancellationToken.None).GetAwaiter().GetResult();
    }
}
