using System.Buffers.Binary;
using System.Text;

namespace Harness.Adb.Protocol;

/// <summary>
/// The file sync protocol spoken after `sync:` (file_sync_protocol.h). Requests are `id[4] + u32 LE len + bytes`;
/// replies are decoded incrementally by <see cref="TryDecodeReply"/>. No I/O.
/// </summary>
public static class SyncProtocol
{
    /// <summary>SYNC_DATA_MAX: the largest DATA payload adbd accepts.</summary>
    public const int MaxDataChunk = 64 * 1024;

    /// <summary>adbd refuses longer paths with "path too long".</summary>
    public const int MaxPathLength = 1024;

    public static byte[] EncodeRequest(string id, string argument)
    {
        ValidateId(id);
        var payload = HostProtocol.Encoding.GetBytes(argument);
        if (payload.Length > MaxPathLength)
            throw new ArgumentException($"sync path is {payload.Length} bytes; adbd accepts at most {MaxPathLength}", nameof(argument));
        var frame = new byte[8 + payload.Length];
        Encoding.ASCII.GetBytes(id, frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>SEND's argument is `path,mode` with the mode in decimal (adbd parses it with strtoul base 0).</summary>
    public static byte[] EncodeSend(string remotePath, uint mode) =>
        EncodeRequest("SEND", $"{remotePath},{mode}");

    public static byte[] EncodeData(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length > MaxDataChunk)
            throw new ArgumentException($"a DATA chunk is at most {MaxDataChunk} bytes, got {chunk.Length}", nameof(chunk));
        var frame = new byte[8 + chunk.Length];
        "DATA"u8.CopyTo(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)chunk.Length);
        chunk.CopyTo(frame.AsSpan(8));
        return frame;
    }

    public static byte[] EncodeDone(uint modifiedUnixSeconds)
    {
        var frame = new byte[8];
        "DONE"u8.CopyTo(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), modifiedUnixSeconds);
        return frame;
    }

    public static byte[] EncodeQuit()
    {
        var frame = new byte[8];
        "QUIT"u8.CopyTo(frame);
        return frame;
    }

    /// <summary>Tries to decode one reply at the start of <paramref name="buffer"/>; false when more bytes are needed.</summary>
    public static bool TryDecodeReply(ReadOnlySpan<byte> buffer, SyncReplyContext context, out SyncReply reply, out int consumed)
    {
        reply = null!;
        consumed = 0;
        if (buffer.Length < 4) return false;
        var id = buffer[..4];

        if (id.SequenceEqual("FAIL"u8))
        {
            if (!TryReadLengthPrefixed(buffer, out var message, out consumed)) return false;
            reply = new SyncReply(SyncReplyKind.Fail) { FailureMessage = HostProtocol.Encoding.GetString(message) };
            return true;
        }

        switch (context)
        {
            case SyncReplyContext.Stat:
                Expect(id, "STAT"u8, context);
                if (buffer.Length < 16) return false;
                reply = new SyncReply(SyncReplyKind.Stat)
                {
                    Mode = U32(buffer, 4),
                    Size = U32(buffer, 8),
                    ModifiedUnixSeconds = U32(buffer, 12),
                };
                consumed = 16;
                return true;

            case SyncReplyContext.StatV2:
                if (!id.SequenceEqual("STA2"u8) && !id.SequenceEqual("LST2"u8))
                    throw Unexpected(id, context);
                if (buffer.Length < 72) return false;
                reply = DecodeStatV2(buffer, SyncReplyKind.StatV2);
                consumed = 72;
                return true;

            case SyncReplyContext.List:
                if (id.SequenceEqual("DONE"u8))
                {
                    if (buffer.Length < 20) return false;
                    reply = new SyncReply(SyncReplyKind.Done);
                    consumed = 20;
                    return true;
                }
                Expect(id, "DENT"u8, context);
                if (buffer.Length < 20) return false;
                var nameLength = U32(buffer, 16);
                if (nameLength > MaxPathLength * 4)
                    throw new AdbProtocolException($"DENT name of {nameLength} bytes is implausible");
                if (buffer.Length < 20 + nameLength) return false;
                reply = new SyncReply(SyncReplyKind.DirectoryEntry)
                {
                    Mode = U32(buffer, 4),
                    Size = U32(buffer, 8),
                    ModifiedUnixSeconds = U32(buffer, 12),
                    Name = HostProtocol.Encoding.GetString(buffer.Slice(20, (int)nameLength)),
                };
                consumed = 20 + (int)nameLength;
                return true;

            case SyncReplyContext.Receive:
                if (id.SequenceEqual("DONE"u8))
                {
                    if (buffer.Length < 8) return false;
                    reply = new SyncReply(SyncReplyKind.Done);
                    consumed = 8;
                    return true;
                }
                Expect(id, "DATA"u8, context);
                if (buffer.Length < 8) return false;
                var dataLength = U32(buffer, 4);
                if (dataLength > MaxDataChunk)
                    throw new AdbProtocolException($"DATA chunk of {dataLength} bytes exceeds the {MaxDataChunk}-byte limit");
                if (buffer.Length < 8 + dataLength) return false;
                reply = new SyncReply(SyncReplyKind.Data) { Data = buffer.Slice(8, (int)dataLength).ToArray() };
                consumed = 8 + (int)dataLength;
                return true;

            case SyncReplyContext.Send:
                Expect(id, "OKAY"u8, context);
                if (buffer.Length < 8) return false;
                reply = new SyncReply(SyncReplyKind.Okay);
                consumed = 8;
                return true;

            default:
                throw new ArgumentOutOfRangeException(nameof(context), context, null);
        }
    }

    private static SyncReply DecodeStatV2(ReadOnlySpan<byte> buffer, SyncReplyKind kind) => new(kind)
    {
        Error = U32(buffer, 4),
        Mode = U32(buffer, 24),
        Size = BinaryPrimitives.ReadUInt64LittleEndian(buffer[40..]),
        ModifiedUnixSeconds = BinaryPrimitives.ReadInt64LittleEndian(buffer[56..]),
    };

    private static bool TryReadLengthPrefixed(ReadOnlySpan<byte> buffer, out byte[] payload, out int consumed)
    {
        payload = [];
        consumed = 0;
        if (buffer.Length < 8) return false;
        var length = U32(buffer, 4);
        if (length > MaxDataChunk)
            throw new AdbProtocolException($"sync FAIL message of {length} bytes is implausible");
        if (buffer.Length < 8 + length) return false;
        payload = buffer.Slice(8, (int)length).ToArray();
        consumed = 8 + (int)length;
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> buffer, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(buffer[offset..]);

    private static void Expect(ReadOnlySpan<byte> id, ReadOnlySpan<byte> expected, SyncReplyContext context)
    {
        if (!id.SequenceEqual(expected)) throw Unexpected(id, context);
    }

    private static AdbProtocolException Unexpected(ReadOnlySpan<byte> id, SyncReplyContext context) =>
        new($"unexpected sync reply {HostProtocol.Describe(id)} to a {context} request");

    private static void ValidateId(string id)
    {
        if (id.Length != 4 || id.Any(c => c is < 'A' or > 'Z' && c is < '0' or > '9'))
            throw new ArgumentException($"sync ids are 4 upper-case ASCII characters, got \"{id}\"", nameof(id));
    }
}
