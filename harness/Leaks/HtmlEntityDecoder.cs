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

    public static byte[] Decode(ReadOnlySpan<byte> s) => Encoding.UTF8.GetBytes(WebUtility.HtmlDecode(Encoding.UTF8.GetString(s)));
}
