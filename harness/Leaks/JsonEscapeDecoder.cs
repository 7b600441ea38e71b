using System.Text;

namespace Harness.Leaks;

/// <summary>
/// JSON/JavaScript string escapes (<c>\uXXXX</c>, <c>\/</c>, <c>\"</c>) in text that is not itself a JSON document:
/// JSON embedded in logs, inline scripts in HTML, JSON cut off by a truncated body.
/// </summary>
public static class JsonEscapeDecoder
{
    public static bool HasEscape(ReadOnlySpan<byte> s)
    {
        var i = s.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < s.Length)
        {
            var next = s[i + 1];
            if (next == (byte)'/' || next == (byte)'u' && i + 5 < s.Length && IsHex4(s.Slice(i + 2, 4))) return true;
            var more = s[(i + 1)..].IndexOf((byte)'\\');
            if (more < 0) return false;
            i += 1 + more;
        }
        return false;
    }

    public static byte[] Decode(ReadOnlySpan<byte> s)
    {
        var text = Encoding.UTF8.GetString(s);
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }
            var e = text[i + 1];
            switch (e)
            {
                case 'u' when i + 5 < text.Length && int.TryParse(text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.HexNumber, null, out var code):
                    sb.Append((char)code);
                    i += 5;
                    break;
                case '/' or '"' or '\\' or '\'':
                    sb.Append(e);
                    i++;
                    break;
                case 'n': sb.Append('\n'); i++; break;
                case 't': sb.Append('\t'); i++; break;
                case 'r': sb.Append('\r'); i++; break;
                default: sb.Append(c); break;
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static bool IsHex4(ReadOnlySpan<byte> s) =>
        PercentDecoder.IsHex(s[0]) && PercentDecoder.IsHex(s[1]) && PercentDecoder.IsHex(s[2]) && PercentDecoder.IsHex(s[3]);
}
