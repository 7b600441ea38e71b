using System.Net;
using System.Text;

namespace Harness.Leaks;

/// <summary>HTML character references: named (&amp;amp;), decimal (&amp;#122;) and hex (&amp;#x7a;).</summary>
public static class HtmlEntityDecoder
{
    public static bool HasEntity(ReadOnlySpan<byte> s)
    {
        var i = s.IndexOf((byte)'&');
        while (i >= 0)
        {
            if (i + 2 < s.Length && (s[i + 1] == (byte)'#' || char.IsAsciiLetter((char)s[i + 1])))
            {
                var semi = s.Slice(i + 1, Math.Min(12, s.Length - i - 1)).IndexOf((byte)';');
                if (semi > 0) return true;
            }
            var next = s[(i + 1)..].IndexOf((byte)'&');
            if (next < 0) return false;
            i += 1 + next;
        }
        return false;
    }

    public static byte[] Decode(ReadOnlySpan<byte> s)
    {
        var rented = DecodeRented(s, System.Text.Unicode.Utf8.IsValid(s), null);
        var result = rented.Memory.ToArray();
        rented.Return();
        return result;
    }

    /// <summary>As <see cref="Decode"/>, into a pooled buffer the caller returns.</summary>
    /// <param name="validUtf8">Whether <paramref name="s"/> is valid UTF-8 (the caller may know it already).</param>
    /// <param name="references">Decoded short references, reused across calls (pages repeat the same few).</param>
    internal static RentedBytes DecodeRented(ReadOnlySpan<byte> s, bool validUtf8, HtmlReferenceCache? references)
    {
        // WebUtility.HtmlDecode changes only "&...;" references (the text from an ampersand to the next semicolon,
        // if no other ampersand comes first). Valid UTF-8 survives the round trip through UTF-16 unchanged, so only
        // those references go through it: the page is copied, not transcoded twice.
        if (!validUtf8) return RentedBytes.CopyOf(DecodeWhole(s));
        var output = new RentedBytes(s.Length + 16);
        var i = 0;
        while (i < s.Length)
        {
            var amp = s[i..].IndexOf((byte)'&');
            var verbatim = amp < 0 ? s.Length - i : amp;
            output.Append(s.Slice(i, verbatim));
            i += verbatim;
            if (amp < 0) break;
            var end = s[(i + 1)..].IndexOfAny((byte)';', (byte)'&');
            if (end < 0 || s[i + 1 + end] != (byte)';')
            {
                output.Append("&"u8);
                i++;
                continue;
            }
            var reference = s.Slice(i, end + 2);
            if (references is not null) output.Append(references.Decode(reference));
            else output.Append(DecodeWhole(reference));
            i += reference.Length;
        }
        return output;
    }

    internal static byte[] DecodeWhole(ReadOnlySpan<byte> s) => Encoding.UTF8.GetBytes(WebUtility.HtmlDecode(Encoding.UTF8.GetString(s)));
}
