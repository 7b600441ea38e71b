using System.Buffers;
using System.IO.Compression;

namespace Harness.Leaks;

/// <summary>
/// Decompressors with a hard output cap (zip-bomb safe). They return what they could decode; <c>complete</c>
/// says whether the stream ended properly, which the schema-less tries (brotli, raw deflate) require.
/// </summary>
public static class CompressionDecoder
{
    public static bool IsGzip(ReadOnlySpan<byte> s) => s.Length >= 10 && s[0] == 0x1f && s[1] == 0x8b && s[2] == 8;

    public static bool IsZstd(ReadOnlySpan<byte> s) => s.Length >= 6 && s[0] == 0x28 && s[1] == 0xb5 && s[2] == 0x2f && s[3] == 0xfd;

    public static bool IsZlib(ReadOnlySpan<byte> s) =>
        s.Length >= 6 && (s[0] & 0x0f) == 8 && (s[0] >> 4) <= 7 && ((s[0] << 8) | s[1]) % 31 == 0 && (s[1] & 0x20) == 0;

    public static byte[]? Gzip(ReadOnlyMemory<byte> data, int cap, out bool complete) =>
        Inflate(data, cap, s => new GZipStream(s, CompressionMode.Decompress), out complete);

    public static byte[]? Zlib(ReadOnlyMemory<byte> data, int cap, out bool complete) =>
        Inflate(data, cap, s => new ZLibStream(s, CompressionMode.Decompress), out complete);

    public static byte[]? RawDeflate(ReadOnlyMemory<byte> data, int cap, out bool complete) =>
        Inflate(data, cap, s => new DeflateStream(s, CompressionMode.Decompress), out complete);

    public static byte[]? Zstd(ReadOnlyMemory<byte> data, int cap, out bool complete) =>
        Inflate(data, cap, s => new ZstdSharp.DecompressionStream(s), out complete);

    public static byte[]? Brotli(ReadOnlySpan<byte> data, int cap, out bool complete)
    {
        complete = false;
        using var decoder = new BrotliDecoder();
        var output = new byte[Math.Min(cap, Math.Max(256, data.Length * 4))];
        var written = 0;
        while (true)
        {
            var status = decoder.Decompress(data, output.AsSpan(written), out var consumed, out var produced);
            data = data[consumed..];
            written += produced;
            switch (status)
            {
                case OperationStatus.Done:
                    complete = data.IsEmpty;
                    return output[..written];
                case OperationStatus.DestinationTooSmall:
                    if (output.Length >= cap) return output[..written];
                    Array.Resize(ref output, (int)Math.Min(cap, (long)output.Length * 2));
                    break;
                case OperationStatus.NeedMoreData:
                    return written > 0 ? output[..written] : null;
                default:
                    return written > 0 ? output[..written] : null;
            }
        }
    }

    /// <summary>Whether the start of <paramref name="head"/> decodes as brotli at all (false on invalid data).</summary>
    public static bool BrotliProbe(ReadOnlySpan<byte> head)
    {
        using var decoder = new BrotliDecoder();
        Span<byte> output = stackalloc byte[4096];
        while (true)
        {
            var status = decoder.Decompress(head, output, out var consumed, out _);
            head = head[consumed..];
            if (status == OperationStatus.InvalidData) return false;
            if (status != OperationStatus.DestinationTooSmall || head.IsEmpty) return true;
        }
    }

    /// <summary>Whether the start of <paramref name="head"/> inflates without error (truncation is fine).</summary>
    public static bool RawDeflateProbe(ReadOnlyMemory<byte> head)
    {
        try
        {
            using var stream = new DeflateStream(new ReadOnlyMemoryStream(head), CompressionMode.Decompress);
            Span<byte> output = stackalloc byte[4096];
            var total = 0;
            int n;
            while ((n = stream.Read(output)) > 0 && (total += n) < 64 * 1024) { }
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Undoes a Content-Encoding header value (gzip, x-gzip, deflate, br, zstd); null when unknown or failed.</summary>
    public static byte[]? ContentEncoding(string encoding, ReadOnlyMemory<byte> data, int cap)
    {
        switch (encoding.Trim().ToLowerInvariant())
        {
            case "gzip" or "x-gzip": return Gzip(data, cap, out _);
            case "deflate": return IsZlib(data.Span) ? Zlib(data, cap, out _) : RawDeflate(data, cap, out _);
            case "br": return Brotli(data.Span, cap, out _);
            case "zstd": return Zstd(data, cap, out _);
            default: return null;
        }
    }

    private static byte[]? Inflate(ReadOnlyMemory<byte> data, int cap, Func<Stream, Stream> open, out bool complete)
    {
        if (InflateRented(data, cap, open, 0, out complete) is not { } rented) return null;
        var result = rented.Memory.ToArray();
        rented.Return();
        return result;
    }

    internal enum Format { Gzip, Zlib, RawDeflate, Zstd }

    /// <summary>Like the public decoders, into a pooled buffer the caller returns; null when nothing decoded.</summary>
    internal static RentedBytes? Rented(Format format, ReadOnlyMemory<byte> data, int cap, out bool complete)
    {
        // gzip's trailer states the uncompressed size (mod 2^32): sizing the buffer from it avoids regrowing.
        var hint = format == Format.Gzip && data.Length >= 18 ? (int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data.Span[^4..]), int.MaxValue - 1) + 1 : 0;
        return format switch
        {
            Format.Gzip => InflateRented(data, cap, s => new GZipStream(s, CompressionMode.Decompress), hint, out complete),
            Format.Zlib => InflateRented(data, cap, s => new ZLibStream(s, CompressionMode.Decompress), hint, out complete),
            Format.RawDeflate => InflateRented(data, cap, s => new DeflateStream(s, CompressionMode.Decompress), hint, out complete),
            _ => InflateRented(data, cap, s => new ZstdSharp.DecompressionStream(s), hint, out complete),
        };
    }

    private static RentedBytes? InflateRented(ReadOnlyMemory<byte> data, int cap, Func<Stream, Stream> open, int sizeHint, out bool complete)
    {
        complete = false;
        // Compressed text is typically 3-10x smaller; the hint (when sane) or a guess, never more than the cap.
        var initial = sizeHint > 0 && sizeHint <= (long)data.Length * 1100 ? sizeHint : (int)Math.Min((long)data.Length * 4, 1 << 20);
        var output = new RentedBytes((int)Math.Min(cap, Math.Max(initial, 4096)));
        try
        {
            using var input = new ReadOnlyMemoryStream(data);
            using var stream = open(input);
            while (output.Length < cap)
            {
                if (output.Free.IsEmpty) output.Grow((int)Math.Min(cap, (long)output.Array.Length * 2));
                var room = output.Free;
                if (room.Length > cap - output.Length) room = room[..(cap - output.Length)];
                var n = stream.Read(room);
                if (n == 0)
                {
                    complete = true;
                    break;
                }
                output.Length += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or NotSupportedException or ArgumentException)
        {
            // Corrupt or truncated: keep what decoded so far, a truncated capture still shows its beginning.
        }
        if (output.Length > 0) return output;
        output.Return();
        return null;
    }
}
