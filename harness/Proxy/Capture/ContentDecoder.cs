using System.IO.Compression;

namespace Harness.Proxy.Capture;

/// <summary>Undoes Content-Encoding (gzip, deflate raw or zlib, br, zstd, and stacks of them) with a bound on the output.</summary>
public static class ContentDecoder
{
    /// <summary>Decoded bytes, or null when there is no encoding, it is unknown, or the data is corrupt.</summary>
    public static byte[]? TryDecode(byte[] raw, string? contentEncoding, long maxOutput)
    {
        if (string.IsNullOrWhiteSpace(contentEncoding)) return null;
        var codings = contentEncoding.Split(',').Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0 && c != "identity").ToArray();
        if (codings.Length == 0) return null;
        var data = raw;
        try
        {
            // Codings are listed in the order they were applied, so undo them backwards.
            for (var i = codings.Length - 1; i >= 0; i--)
            {
                data = DecodeOne(data, codings[i], maxOutput);
                if (data is null) return null;
            }
            return data;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[]? DecodeOne(byte[] data, string coding, long maxOutput)
    {
        using var input = new MemoryStream(data);
        using Stream? decoder = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(input, CompressionMode.Decompress),
            // "deflate" is meant to be zlib-wrapped, but many servers send raw deflate: a zlib header has CMF 0x78 and a valid check.
            "deflate" => IsZlibHeader(data) ? new ZLibStream(input, CompressionMode.Decompress) : new DeflateStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "zstd" => new ZstdSharp.DecompressionStream(input),
            _ => null,
        };
        if (decoder is null) return null;
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = decoder.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + n > maxOutput) return null;
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    private static bool IsZlibHeader(byte[] data) =>
        data.Length >= 2 && (data[0] & 0x0f) == 8 && ((data[0] << 8) | data[1]) % 31 == 0;
}
