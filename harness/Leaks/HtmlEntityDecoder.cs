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
        // WebUtility.HtmlDecode changes only "&...;" references (the text from an ampersand to the next semicolon,
        // if no other ampersand comes first). Valid UTF-8 survives the round trip through UTF-16 unchanged, so only
        // those references go through it: the page is copied, not transcoded twice.
        if (!System.Text.Unicode.Utf8.IsValid(s)) return DecodeWhole(s);
        var output = new byte[s.Length + 16];
        var n = 0;
        var i = 0;
        while (i < s.Length)
        {
            var amp = s[i..].IndexOf((byte)'&');
            var verbatim = amp < 0 ? s.Length - i : amp;
            Append(ref output, ref n, s.Slice(i, verbatim));
            i += verbatim;
            if (amp < 0) break;
            var end = s[(i + 1)..].IndexOfAny((byte)';', (byte)'&');
            if (end < 0 || s[i + 1 + end] != (byte)';')
            {
                Append(ref output, ref n, "&"u8);
                i++;
                continue;
            }
            var reference = s.Slice(i, end + 2);
            Append(ref output, ref n, DecodeWhole(reference));
            i += reference.Length;
        }
        return output.AsSpan(0, n).ToArray();
    }

    private static byte[] DecodeWhole(ReadOnlySpan<byte> s) => Encoding.UTF8.GetBytes(WebUtility.HtmlDecode(Encoding.UTF8.GetString(s)));

    private static void Append(ref byte[] output, ref int n, ReadOnlySpan<byte> bytes)
    {
        if (n + bytes.Length > output.Length) Array.Resize(ref output, Math.Max(output.Length * 2, n + bytes.Length));
        bytes.CopyTo(output.AsSpan(n));
        n += bytes.Length;
    }
}
