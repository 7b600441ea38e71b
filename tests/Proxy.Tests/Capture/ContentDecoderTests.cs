using System.IO.Compression;
using System.Text;
using Harness.Proxy.Capture;

namespace Harness.Proxy.Tests.Capture;

public sealed class ContentDecoderTests
{
    private static readonly byte[] Original = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("https://visited.example/?q=secret ", 50)));

    private static byte[] Compress(Func<Stream, Stream> wrap)
    {
        using var ms = new MemoryStream();
        using (var z = wrap(ms)) z.Write(Original);
        return ms.ToArray();
    }

    [Test]
    public void Gzip() => Assert.That(ContentDecoder.TryDecode(Compress(s => new GZipStream(s, CompressionLevel.Fastest, true)), "gzip", 1 << 20), Is.EqualTo(Original));

    [Test]
    public void DeflateZlibWrapped() => Assert.That(ContentDecoder.TryDecode(Compress(s => new ZLibStream(s, CompressionLevel.Fastest, true)), "deflate", 1 << 20), Is.EqualTo(Original));

    [Test]
    public void DeflateRaw() => Assert.That(ContentDecoder.TryDecode(Compress(s => new DeflateStream(s, CompressionLevel.Fastest, true)), "deflate", 1 << 20), Is.EqualTo(Original));

    [Test]
    public void Brotli() => Assert.That(ContentDecoder.TryDecode(Compress(s => new BrotliStream(s, CompressionLevel.Fastest, true)), "br", 1 << 20), Is.EqualTo(Original));

    [Test]
    public void Zstd()
    {
        using var compressor = new ZstdSharp.Compressor();
        Assert.That(ContentDecoder.TryDecode(compressor.Wrap(Original).ToArray(), "zstd", 1 << 20), Is.EqualTo(Original));
    }

    [Test]
    public void StackedCodings_AreUndoneInReverse()
    {
        var gz = Compress(s => new GZipStream(s, CompressionLevel.Fastest, true));
        using var ms = new MemoryStream();
        using (var br = new BrotliStream(ms, CompressionLevel.Fastest, true)) br.Write(gz);
        Assert.That(ContentDecoder.TryDecode(ms.ToArray(), "gzip, br", 1 << 20), Is.EqualTo(Original));
    }

    [Test]
    public void CorruptUnknownOrTooLarge_GiveNull()
    {
        Assert.That(ContentDecoder.TryDecode([1, 2, 3, 4], "gzip", 1 << 20), Is.Null);
        Assert.That(ContentDecoder.TryDecode(Original, "compress", 1 << 20), Is.Null);
        Assert.That(ContentDecoder.TryDecode(Original, null, 1 << 20), Is.Null);
        Assert.That(ContentDecoder.TryDecode(Compress(s => new GZipStream(s, CompressionLevel.Fastest, true)), "gzip", 100), Is.Null, "decompression bombs stop at the bound");
    }

    [Test]
    public void BodyCapture_KeepsPrefixAndTrueSize()
    {
        var capture = new BodyCapture(10);
        capture.Append("0123456"u8);
        capture.Append("789abcdef"u8);
        var body = capture.ToFlowBody(null, "text/plain");
        Assert.That(Encoding.ASCII.GetString(body.Raw), Is.EqualTo("0123456789"));
        Assert.That(body.Size, Is.EqualTo(16));
        Assert.That(body.Truncated, Is.True);
    }
}
