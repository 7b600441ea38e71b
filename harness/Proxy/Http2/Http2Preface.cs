namespace Harness.Proxy.Http2;

/// <summary>The client connection preface (RFC 9113 3.4), and detection of h2c prior knowledge on a plain connection.</summary>
public static class Http2Preface
{
    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public const int Length = 24;

    /// <summary>Classifies the first bytes a client sent; <see cref="Http2PrefaceMatch.Preface"/> needs all 24.</summary>
    public static Http2PrefaceMatch Match(ReadOnlySpan<byte> received)
    {
        var compared = Math.Min(received.Length, Length);
        if (!received[..compared].SequenceEqual(Bytes[..compared])) return Http2PrefaceMatch.NotPreface;
        return compared == Length ? Http2PrefaceMatch.Preface : Http2PrefaceMatch.NeedMoreData;
    }
}
