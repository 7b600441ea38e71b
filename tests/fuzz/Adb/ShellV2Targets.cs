using Harness.Adb;
using Harness.Adb.Protocol;
using Harness.VirtualDevice.Services;

namespace Harness.Fuzz;

/// <summary>
/// Shell v2 framing, both ends: the host codec (reads what a phone sends) and the virtual phone's decoder (reads what the
/// host sends). The host codec rejects bad frames with <see cref="AdbProtocolException"/>; the phone's decoder has no
/// documented rejection, so it must never throw.
/// </summary>
public static class ShellV2Targets
{
    public static void BothCodecs(byte[] input)
    {
        var host = new ShellV2Codec();
        var phone = new ShellV2PacketDecoder();
        var hostAlive = true;
        foreach (var chunk in FuzzHost.Chunks(input))
        {
            if (hostAlive)
            {
                try
                {
                    foreach (var packet in host.Feed(chunk.Span))
                        _ = ShellV2Codec.Encode(packet.Id, packet.Payload);
                }
                catch (AdbProtocolException)
                {
                    hostAlive = false;
                }
            }
            foreach (var packet in phone.Feed(chunk.Span))
                _ = packet.Payload.Length;
        }
    }
}
