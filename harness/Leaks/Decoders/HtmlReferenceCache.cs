namespace Harness.Leaks;

/// <summary>
/// What WebUtility.HtmlDecode makes of short references (<c>&amp;amp;</c>, <c>&amp;mdash;</c>, <c>&amp;#122;</c>),
/// remembered per walker: a page repeats a handful of references many times, and decoding one through UTF-16
/// strings costs far more than a lookup. Bounded, so hostile input cannot grow it.
/// </summary>
internal sealed class HtmlReferenceCache
{
    private const int MaxEntries = 512;
    // Up to eight bytes between '&' and ';' packed into the key, with the length to tell "a" from "a\0".
    private const int MaxNameLength = 8;
    private readonly Dictionary<(ulong Name, int Length), byte[]> _decoded = [];

    /// <summary>The UTF-8 of the decoded reference (<paramref name="reference"/> includes '&amp;' and ';').</summary>
    public byte[] Decode(ReadOnlySpan<byte> reference)
    {
        var name = reference[1..^1];
        if (name.Length > MaxNameLength) return HtmlEntityDecoder.DecodeWhole(reference);
        ulong packed = 0;
        for (var i = 0; i < name.Length; i++) packed |= (ulong)name[i] << (8 * i);
        var key = (packed, name.Length);
        if (_decoded.TryGetValue(key, out var known)) return known;
        var decoded = HtmlEntityDecoder.DecodeWhole(reference);
        if (_decoded.Count < MaxEntries) _decoded[key] = decoded;
        return decoded;
    }
}
