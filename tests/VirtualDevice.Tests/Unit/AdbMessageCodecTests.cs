using System.Text;
using Harness.VirtualDevice.Transport;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class AdbMessageCodecTests
{
    [Test]
    public void EncodesTheTwentyFourByteHeaderLittleEndianWithByteSumAndMagic()
    {
        var bytes = AdbMessageCodec.Encode(new AdbMessage(AdbCommand.Wrte, 7, 9, new byte[] { 1, 2, 250 }));
        Assert.That(bytes, Has.Length.EqualTo(27));
        Assert.That(Encoding.ASCII.GetString(bytes, 0, 4), Is.EqualTo("WRTE"));
        Assert.That(BitConverter.ToUInt32(bytes, 4), Is.EqualTo(7));
        Assert.That(BitConverter.ToUInt32(bytes, 8), Is.EqualTo(9));
        Assert.That(BitConverter.ToUInt32(bytes, 12), Is.EqualTo(3));
        Assert.That(BitConverter.ToUInt32(bytes, 16), Is.EqualTo(253));
        Assert.That(BitConverter.ToUInt32(bytes, 20), Is.EqualTo(AdbCommand.Wrte ^ 0xFFFFFFFF));
        Assert.That(bytes[24..], Is.EqualTo(new byte[] { 1, 2, 250 }));
    }

    [Test]
    public void DecoderReassemblesMessagesSplitAtAnyByte()
    {
        var a = AdbMessageCodec.Encode(new AdbMessage(AdbCommand.Open, 3, 0, "shell:ls\0"u8.ToArray()));
        var b = AdbMessageCodec.Encode(new AdbMessage(AdbCommand.Okay, 1, 3));
        var all = a.Concat(b).ToArray();
        var decoder = new AdbMessageDecoder();
        var decoded = new List<AdbMessage>();
        foreach (var by in all)
        {
            decoder.Feed([by]);
            while (decoder.TryRead(out var m)) decoded.Add(m);
        }
        Assert.That(decoded.Select(m => (m.Command, m.Arg0, m.Arg1)), Is.EqualTo(new[] { (AdbCommand.Open, 3u, 0u), (AdbCommand.Okay, 1u, 3u) }));
        Assert.That(Encoding.ASCII.GetString(decoded[0].Payload.Span), Is.EqualTo("shell:ls\0"));
    }

    [Test]
    public void DecoderRejectsBadMagicAndOversizedPayloads()
    {
        var bytes = AdbMessageCodec.Encode(new AdbMessage(AdbCommand.Okay, 1, 2));
        bytes[20] ^= 0xFF;
        var decoder = new AdbMessageDecoder();
        decoder.Feed(bytes);
        Assert.Throws<AdbProtocolException>(() => decoder.TryRead(out _));

        var big = AdbMessageCodec.Encode(new AdbMessage(AdbCommand.Wrte, 1, 2, new byte[10]));
        var small = new AdbMessageDecoder(maxPayload: 4);
        small.Feed(big);
        Assert.Throws<AdbProtocolException>(() => small.TryRead(out _));
    }
}
