using Harness.VirtualDevice.Services;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class ShellV2ProtocolTests
{
    [Test]
    public void PacketIsIdThenLittleEndianLengthThenPayload()
    {
        Assert.That(ShellV2Protocol.Encode(ShellV2Protocol.Exit, [3]), Is.EqualTo(new byte[] { 3, 1, 0, 0, 0, 3 }));
        Assert.That(ShellV2Protocol.Encode(ShellV2Protocol.Stderr, "ab"u8), Is.EqualTo(new byte[] { 2, 2, 0, 0, 0, (byte)'a', (byte)'b' }));
    }

    [Test]
    public void DecoderHandlesPacketsSpanningWrites()
    {
        byte[] stream = [.. ShellV2Protocol.Encode(ShellV2Protocol.Stdin, "hello"u8), .. ShellV2Protocol.Encode(ShellV2Protocol.CloseStdin, [])];
        var decoder = new ShellV2PacketDecoder();
        var packets = new List<ShellV2Packet>();
        packets.AddRange(decoder.Feed(stream.AsSpan(0, 3)));
        Assert.That(packets, Is.Empty);
        packets.AddRange(decoder.Feed(stream.AsSpan(3, 6)));
        packets.AddRange(decoder.Feed(stream.AsSpan(9)));
        Assert.That(packets.Select(p => p.Id), Is.EqualTo(new[] { ShellV2Protocol.Stdin, ShellV2Protocol.CloseStdin }));
        Assert.That(packets[0].Payload, Is.EqualTo("hello"u8.ToArray()));
    }

    [Test]
    public void ServiceStringsSelectProtocolAndPty()
    {
        Assert.That(ShellServiceRequest.Parse("shell:ls -l"), Is.EqualTo(new ShellServiceRequest(false, false, "ls -l")));
        Assert.That(ShellServiceRequest.Parse("shell,v2,raw:echo hi"), Is.EqualTo(new ShellServiceRequest(true, false, "echo hi")));
        Assert.That(ShellServiceRequest.Parse("shell,v2,TERM=xterm-256color,pty:"), Is.EqualTo(new ShellServiceRequest(true, true, "")));
        Assert.That(ShellServiceRequest.Parse("shell:a:b"), Is.EqualTo(new ShellServiceRequest(false, false, "a:b")));
        Assert.That(ShellServiceRequest.Parse("shellx:ls"), Is.Null);
        Assert.That(ShellServiceRequest.Parse("sync:"), Is.Null);
    }
}
