using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Harness.Adb.Protocol;

/// <summary>
/// Framing of the adb server's smart-socket protocol (client side). Pure functions over bytes so the
/// framing is tested without sockets; <see cref="AdbConnection"/> does the I/O.
/// </summary>
public static class HostProtocol
{
    /// <summary>4 hex digits cap a request at this many bytes.</summary>
    public const int MaxRequestLength = 0xFFFF;

    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>`000Chost:version`: hex4 byte length, then the payload without a NUL.</summary>
    public static byte[] EncodeRequest(string request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = Encoding.GetBytes(request);
        if (payload.Length == 0)
            throw new ArgumentException("an adb request cannot be empty (the server drops the socket)", nameof(request));
        if (payload.Length > MaxRequestLength)
            throw new ArgumentException($"an adb request is at most {MaxRequestLength} bytes, this one is {payload.Length}", nameof(request));
        var frame = new byte[4 + payload.Length];
        Encoding.ASCII.GetBytes(payload.Length.ToString("X4", CultureInfo.InvariantCulture), frame);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Parses 4 ASCII hex digits (either case).</summary>
    public static int ParseHex4(ReadOnlySpan<byte> digits)
    {
        if (digits.Length != 4)
            throw new AdbProtocolException($"expected 4 hex digits, got {digits.Length} bytes");
        var value = 0;
        foreach (var b in digits)
        {
            int nibble = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => throw new AdbProtocolException($"expected a hex length, got {Describe(digits)}"),
            };
            value = (value << 4) | nibble;
        }
        return value;
    }

    /// <summary>Reads a 4-byte status word: OKAY or FAIL; anything else is a protocol error.</summary>
    public static HostStatus ParseStatus(ReadOnlySpan<byte> word)
    {
        if (word.SequenceEqual("OKAY"u8)) return HostStatus.Okay;
        if (word.SequenceEqual("FAIL"u8)) return HostStatus.Fail;
        throw new AdbProtocolException($"expected OKAY or FAIL, got {Describe(word)}");
    }

    /// <summary>
    /// Tries to decode a complete reply at the start of <paramref name="buffer"/>: OKAY alone, or FAIL + hex4 reason.
    /// Returns false when more bytes are needed.
    /// </summary>
    public static bool TryDecodeReply(ReadOnlySpan<byte> buffer, out HostReply reply, out int consumed)
    {
        reply = default;
        consumed = 0;
        if (buffer.Length < 4) return false;
        var status = ParseStatus(buffer[..4]);
        if (status == HostStatus.Okay)
        {
            reply = new HostReply(HostStatus.Okay, null);
            consumed = 4;
            return true;
        }
        if (!TryDecodeLengthPrefixed(buffer[4..], out var reason, out var bodyBytes)) return false;
        reply = new HostReply(HostStatus.Fail, reason);
        consumed = 4 + bodyBytes;
        return true;
    }

    /// <summary>Tries to decode a hex4-prefixed UTF-8 body. Returns false when more bytes are needed.</summary>
    public static bool TryDecodeLengthPrefixed(ReadOnlySpan<byte> buffer, out string body, out int consumed)
    {
        body = "";
        consumed = 0;
        if (buffer.Length < 4) return false;
        var length = ParseHex4(buffer[..4]);
        if (buffer.Length < 4 + length) return false;
        body = Encoding.GetString(buffer.Slice(4, length));
        consumed = 4 + length;
        return true;
    }

    /// <summary>`host:tport:` answers a little-endian u64 transport id.</summary>
    public static long ParseTransportId(ReadOnlySpan<byte> eightBytes) =>
        eightBytes.Length == 8
            ? (long)BinaryPrimitives.ReadUInt64LittleEndian(eightBytes)
            : throw new AdbProtocolException($"expected an 8-byte transport id, got {eightBytes.Length} bytes");

    internal static string Describe(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder("\"");
        foreach (var b in bytes)
            builder.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}");
        return builder.Append('"').ToString();
    }
}
