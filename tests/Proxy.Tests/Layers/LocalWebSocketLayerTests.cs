using System.Text;
using Harness.Proxy.WebSockets;

namespace Harness.Proxy.Tests.Layers;

/// <summary>The proxy's own WebSocket endpoint, driven with client frames: messages recorded, pings and the close answered.</summary>
public sealed class LocalWebSocketLayerTests
{
    /// <summary>A masked client frame, as RFC 6455 requires of clients.</summary>
    private static byte[] ClientFrame(int opcode, byte[] payload, bool fin = true)
    {
        byte[] mask = [0x11, 0x22, 0x33, 0x44];
        var masked = payload.Select((b, i) => (byte)(b ^ mask[i % 4])).ToArray();
        return [(byte)((fin ? 0x80 : 0) | opcode), (byte)(0x80 | payload.Length), .. mask, .. masked];
    }

    [Test]
    public void FragmentedText_PingAndClose_AreRecordedAndAnswered_SplitAnywhere()
    {
        byte[] wire =
        [
            .. ClientFrame(0x1, "hel"u8.ToArray(), fin: false),
            .. ClientFrame(0x9, "p1"u8.ToArray()),
            .. ClientFrame(0x0, "lo"u8.ToArray()),
            .. ClientFrame(0x8, [0x03, 0xE8]),
        ];
        for (var split = 1; split < wire.Length; split++)
        {
            var layer = new LocalWebSocketLayer(TimeProvider.System);
            var replies = new List<byte[]>();
            layer.Feed(wire.AsSpan(0, split), replies);
            layer.Feed(wire.AsSpan(split), replies);
            Assert.That(layer.Messages.Select(m => (m.FromClient, m.IsText, Encoding.UTF8.GetString(m.Data))), Is.EqualTo(new[] { (true, true, "hello") }), $"split at {split}");
            Assert.That(replies.Select(Convert.ToHexString), Is.EqualTo(new[] { "8A027031", "880203E8" }), "a pong with the ping's payload, then close 1000");
            Assert.That(layer.Closed, Is.True);
        }
    }
}
