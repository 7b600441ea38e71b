using Harness.Adb;
using Harness.Adb.Protocol;

namespace Harness.Adb.Tests.Unit;

public sealed class ShellV2CodecTests
{
    [Test]
    public void Encode_writes_id_then_little_endian_length()
    {
        Assert.That(ShellV2Codec.Encode(ShellV2StreamId.Stdout, "hi"u8), Is.EqualTo(new byte[] { 1, 2, 0, 0, 0, (byte)'h', (byte)'i' }));
        Assert.That(ShellV2Codec.Encode(ShellV2StreamId.CloseStdin, []), Is.EqualTo(new byte[] { 4, 0, 0, 0, 0 }));
    }

    [Test]
    public void Decodes_several_packets_in_one_read()
    {
        var bytes = ShellV2Codec.Encode(ShellV2StreamId.Stdout, "out"u8)
            .Concat(ShellV2Codec.Encode(ShellV2StreamId.Stderr, "err"u8))
            .Concat(ShellV2Codec.Encode(ShellV2StreamId.Exit, [42])).ToArray();
        var packets = new ShellV2Codec().Feed(bytes);
        Assert.That(packets.Select(p => p.Id), Is.EqualTo(new[] { ShellV2StreamId.Stdout, ShellV2StreamId.Stderr, ShellV2StreamId.Exit }));
        Assert.That(packets[0].Payload, Is.EqualTo("out"u8.ToArray()));
        Assert.That(packets[2].Payload[0], Is.EqualTo(42));
    }

    [Test]
    public void Packets_split_across_reads_are_reassembled()
    {
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var bytes = ShellV2Codec.Encode(ShellV2StreamId.Stdout, payload).Concat(ShellV2Codec.Encode(ShellV2StreamId.Exit, [0])).ToArray();
        var codec = new ShellV2Codec();
        var packets = new List<ShellV2Packet>();
        for (var offset = 0; offset < bytes.Length; offset += 1000)
            packets.AddRange(codec.Feed(bytes.AsSpan(offset, Math.Min(1000, bytes.Length - offset))));
        Assert.That(packets, Has.Count.EqualTo(2));
        Assert.That(packets[0].Payload, Is.EqualTo(payload));
        Assert.That(codec.PendingByteCount, Is.Zero);
    }

    [Test]
    public void Truncated_packet_stays_pending()
    {
        var codec = new ShellV2Codec();
        Assert.That(codec.Feed(new byte[] { 1, 10, 0, 0, 0, 1, 2 }), Is.Empty);
        Assert.That(codec.PendingByteCount, Is.EqualTo(7));
    }

    [Test]
    public void Unknown_id_throws()
    {
        Assert.Throws<AdbProtocolException>(() => new ShellV2Codec().Feed(new byte[] { 9, 0, 0, 0, 0 }));
    }

    [Test]
    public void Absurd_length_throws_instead_of_buffering_forever()
    {
        Assert.Throws<AdbProtocolException>(() => new ShellV2Codec().Feed(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0x7F }));
    }

    [Test]
    public void Exit_packet_must_carry_one_byte()
    {
        Assert.Throws<AdbProtocolException>(() => new ShellV2Codec().Feed(ShellV2Codec.Encode(ShellV2StreamId.Exit, [])));
        Assert.Throws<AdbProtocolException>(() => new ShellV2Codec().Feed(ShellV2Codec.Encode(ShellV2StreamId.Exit, [1, 2])));
    }
}
