using System.Buffers.Binary;
using System.Text;
using Harness.Adb;
using Harness.Adb.Protocol;

namespace Harness.Adb.Tests.Unit;

public sealed class SyncProtocolTests
{
    private static byte[] Id(string id) => Encoding.ASCII.GetBytes(id);

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    [Test]
    public void Requests_are_id_length_path()
    {
        Assert.That(SyncProtocol.EncodeRequest("STAT", "/sdcard"), Is.EqualTo(Id("STAT").Concat(U32(7)).Concat(Id("/sdcard"))));
        Assert.That(SyncProtocol.EncodeQuit(), Is.EqualTo(Id("QUIT").Concat(U32(0))));
    }

    [Test]
    public void Send_carries_path_comma_decimal_mode()
    {
        var frame = SyncProtocol.EncodeSend("/data/local/tmp/a b", 33188);
        Assert.That(Encoding.UTF8.GetString(frame, 8, frame.Length - 8), Is.EqualTo("/data/local/tmp/a b,33188"));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)), Is.EqualTo(frame.Length - 8));
    }

    [Test]
    public void Data_and_done_frames()
    {
        Assert.That(SyncProtocol.EncodeData([1, 2, 3]), Is.EqualTo(Id("DATA").Concat(U32(3)).Concat(new byte[] { 1, 2, 3 })));
        Assert.That(SyncProtocol.EncodeDone(1_700_000_000), Is.EqualTo(Id("DONE").Concat(U32(1_700_000_000))));
    }

    [Test]
    public void Chunks_over_64_KiB_and_long_paths_and_bad_ids_are_refused()
    {
        Assert.DoesNotThrow(() => SyncProtocol.EncodeData(new byte[SyncProtocol.MaxDataChunk]));
        Assert.Throws<ArgumentException>(() => SyncProtocol.EncodeData(new byte[SyncProtocol.MaxDataChunk + 1]));
        Assert.Throws<ArgumentException>(() => SyncProtocol.EncodeRequest("STAT", "/" + new string('a', 1024)));
        Assert.Throws<ArgumentException>(() => SyncProtocol.EncodeRequest("stat", "/"));
        Assert.Throws<ArgumentException>(() => SyncProtocol.EncodeRequest("STATS", "/"));
    }

    [Test]
    public void Stat_reply_decodes_mode_size_mtime()
    {
        var bytes = Id("STAT").Concat(U32(0x81A4)).Concat(U32(1234)).Concat(U32(1_600_000_000)).ToArray();
        Assert.That(SyncProtocol.TryDecodeReply(bytes, SyncReplyContext.Stat, out var reply, out var consumed), Is.True);
        Assert.That((reply.Kind, reply.Mode, reply.Size, reply.ModifiedUnixSeconds, consumed), Is.EqualTo((SyncReplyKind.Stat, 0x81A4u, 1234ul, 1_600_000_000L, 16)));
        Assert.That(SyncProtocol.TryDecodeReply(bytes.AsSpan(0, 15), SyncReplyContext.Stat, out _, out _), Is.False);
    }

    [Test]
    public void Stat_v2_reply_decodes_error_mode_size_mtime()
    {
        var bytes = new byte[72];
        Id("STA2").CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 0x41ED);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), 5_000_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(56), 1_650_000_000);
        Assert.That(SyncProtocol.TryDecodeReply(bytes, SyncReplyContext.StatV2, out var reply, out var consumed), Is.True);
        Assert.That((reply.Error, reply.Mode, reply.Size, reply.ModifiedUnixSeconds, consumed), Is.EqualTo((2u, 0x41EDu, 5_000_000_000ul, 1_650_000_000L, 72)));
    }

    [Test]
    public void List_replies_are_dents_until_done_with_16_zero_bytes()
    {
        var dent = Id("DENT").Concat(U32(0x81A4)).Concat(U32(10)).Concat(U32(99)).Concat(U32(5)).Concat(Id("a.txt"));
        var done = Id("DONE").Concat(new byte[16]);
        var bytes = dent.Concat(done).ToArray();
        Assert.That(SyncProtocol.TryDecodeReply(bytes, SyncReplyContext.List, out var first, out var used), Is.True);
        Assert.That((first.Kind, first.Name, first.Size), Is.EqualTo((SyncReplyKind.DirectoryEntry, "a.txt", 10ul)));
        Assert.That(SyncProtocol.TryDecodeReply(bytes.AsSpan(used), SyncReplyContext.List, out var last, out var lastUsed), Is.True);
        Assert.That((last.Kind, lastUsed), Is.EqualTo((SyncReplyKind.Done, 20)));
        Assert.That(SyncProtocol.TryDecodeReply(bytes.AsSpan(0, used - 1), SyncReplyContext.List, out _, out _), Is.False);
    }

    [Test]
    public void Receive_replies_are_data_chunks_then_done()
    {
        var bytes = Id("DATA").Concat(U32(3)).Concat(new byte[] { 9, 8, 7 }).Concat(Id("DONE")).Concat(U32(0)).ToArray();
        Assert.That(SyncProtocol.TryDecodeReply(bytes, SyncReplyContext.Receive, out var data, out var used), Is.True);
        Assert.That(data.Data, Is.EqualTo(new byte[] { 9, 8, 7 }));
        Assert.That(SyncProtocol.TryDecodeReply(bytes.AsSpan(used), SyncReplyContext.Receive, out var done, out var doneUsed), Is.True);
        Assert.That((done.Kind, doneUsed), Is.EqualTo((SyncReplyKind.Done, 8)));
    }

    [TestCase(SyncReplyContext.Receive)]
    [TestCase(SyncReplyContext.Send)]
    [TestCase(SyncReplyContext.Stat)]
    [TestCase(SyncReplyContext.List)]
    public void Fail_carries_the_device_message_in_every_context(SyncReplyContext context)
    {
        var message = "open failed: No such file or directory";
        var bytes = Id("FAIL").Concat(U32((uint)message.Length)).Concat(Id(message)).ToArray();
        Assert.That(SyncProtocol.TryDecodeReply(bytes, context, out var reply, out var used), Is.True);
        Assert.That((reply.Kind, reply.FailureMessage, used), Is.EqualTo((SyncReplyKind.Fail, message, bytes.Length)));
        Assert.That(SyncProtocol.TryDecodeReply(bytes.AsSpan(0, bytes.Length - 1), context, out _, out _), Is.False);
    }

    [Test]
    public void Send_reply_is_okay_with_a_zero_word()
    {
        var bytes = Id("OKAY").Concat(U32(0)).ToArray();
        Assert.That(SyncProtocol.TryDecodeReply(bytes, SyncReplyContext.Send, out var reply, out var used), Is.True);
        Assert.That((reply.Kind, used), Is.EqualTo((SyncReplyKind.Okay, 8)));
    }

    [Test]
    public void Unexpected_ids_and_oversized_chunks_throw()
    {
        Assert.Throws<AdbProtocolException>(() => SyncProtocol.TryDecodeReply(Id("DENT").Concat(new byte[16]).ToArray(), SyncReplyContext.Receive, out _, out _));
        Assert.Throws<AdbProtocolException>(() => SyncProtocol.TryDecodeReply(Id("XXXX").Concat(new byte[16]).ToArray(), SyncReplyContext.Stat, out _, out _));
        Assert.Throws<AdbProtocolException>(() => SyncProtocol.TryDecodeReply(Id("DATA").Concat(U32(65537)).ToArray(), SyncReplyContext.Receive, out _, out _));
    }

    [Test]
    public void File_statistics_interpret_the_mode()
    {
        Assert.That(new FileStatistics("/x", 0, 0, default).Exists, Is.False);
        Assert.That(new FileStatistics("/x", 0x41ED, 0, default).IsDirectory, Is.True);
        Assert.That(new FileStatistics("/x", 0x81A4, 0, default).IsRegularFile, Is.True);
    }
}
