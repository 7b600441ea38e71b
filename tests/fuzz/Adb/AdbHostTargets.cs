using System.Text;
using Harness.Adb;
using Harness.Adb.Protocol;

namespace Harness.Fuzz;

/// <summary>What an adb server answers on the host protocol: status words, hex-length bodies, device lists, track-devices.
/// <see cref="AdbProtocolException"/> is the documented rejection; anything else is a crash.</summary>
public static class AdbHostTargets
{
    public static void HostProtocol(byte[] input)
    {
        Guard(() => DecodeReplies(input));
        Guard(() => DeviceListParser.Parse(Encoding.UTF8.GetString(input)));
        var tracker = new TrackDevicesDecoder();
        foreach (var chunk in FuzzHost.Chunks(input))
        {
            try { tracker.Feed(chunk.Span); }
            catch (AdbProtocolException) { break; }
        }
        _ = tracker.CurrentDevices.Count;
    }

    private static void DecodeReplies(byte[] input)
    {
        ReadOnlySpan<byte> rest = input;
        while (rest.Length > 0)
        {
            if (Harness.Adb.Protocol.HostProtocol.TryDecodeReply(rest, out _, out var consumed) && consumed > 0) rest = rest[consumed..];
            else if (Harness.Adb.Protocol.HostProtocol.TryDecodeLengthPrefixed(rest, out _, out consumed) && consumed > 0) rest = rest[consumed..];
            else break;
        }
        if (input.Length >= 8) Harness.Adb.Protocol.HostProtocol.ParseTransportId(input.AsSpan(0, 8));
        if (input.Length >= 4) Harness.Adb.Protocol.HostProtocol.ParseHex4(input.AsSpan(0, 4));
    }

    private static void Guard(Action action)
    {
        try { action(); }
        catch (AdbProtocolException) { }
    }
}
