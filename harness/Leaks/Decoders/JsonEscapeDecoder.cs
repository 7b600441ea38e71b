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
        var rented = DecodeRented(s, System.Text.Unicode.Utf8.IsValid(s));
        var result = rented.Memory.ToArray();
        rented.Return();
        return result;
    }

    /// <summary>As <see cref="Decode"/>, into a pooled buffer the caller returns.</summary>
    /// <param name="validUtf8">Whether <paramref name="s"/> is valid UTF-8 (the caller may know it already).</param>
    internal static RentedBytes DecodeRented(ReadOnlySpan<byte> s, bool validUtf8)
    {
        // Byte for byte where the answer is the same as decoding through UTF-16 (valid UTF-8, no surrogate escapes,
        // which only a whole-string pass can pair up): text between escapes is copied, not transcoded twice.
        if (!validUtf8) return RentedBytes.CopyOf(DecodeWhole(s));
        // Every escape is at least as long as what it stands for, so the output fits in the input's length.
        var rented = new RentedBytes(s.Length);
        var output = rented.Array.AsSpan();
        var n = 0;
        var i = 0;
        while (i < s.Length)
        {
            var slash = s[i..].IndexOf((byte)'\\');
            var verbatim = slash < 0 ? s.Length - i : slash;
            s.Slice(i, verbatim).CopyTo(output[n..]);
            n += verbatim;
            i += verbatim;
            if (slash < 0 || i + 1 >= s.Length)
            {
                if (slash >= 0) output[n++] = (byte)'\\';
                break;
            }
            var e = s[i + 1];
            switch (e)
            {
                // Exactly four hex digits (int.TryParse alone would also take " 41 ", which JSON does not).
                case (byte)'u' when i + 5 < s.Length && IsHex4(s.Slice(i + 2, 4)) && int.TryParse(s.Slice(i + 2, 4), System.Globalization.NumberStyles.HexNumber, null, out var code):
                    if (code is >= 0xD800 and <= 0xDFFF)
                    {
                        rented.Return();
                        return RentedBytes.CopyOf(DecodeWhole(s));
                    }
                    // A \uXXXX escape is six bytes; its UTF-8 is at most three.
                    n += Encoding.UTF8.GetBytes([(char)code], output[n..]);
                    i += 6;
                    break;
                case (byte)'/' or (byte)'"' or (byte)'\\' or (byte)'\'':
                    output[n++] = e;
                    i += 2;
                    break;
                case (byte)'n': output[n++] = (byte)'\n'; i += 2; break;
                case (byte)'t': output[n++] = (byte)'\t'; i += 2; break;
                case (byte)'r': output[n++] = (byte)'\r'; i += 2; break;
                default:
                    output[n++] = (byte)'\\';
                    i++;
                    break;
            }
        }
        rented.Length = n;
        return rented;
    }

    private static readonly System.Buffers.SearchValues<char> HexChars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The plain character-by-character unescape: the fallback for input the byte-level path does not take (invalid UTF-8, surrogate escapes).</summary>
    internal static byte[] DecodeWhole(ReadOnlySpan<byte> s)
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
                case 'u' when i + 5 < text.Length && text.AsSpan(i + 2, 4).IndexOfAnyExcept(HexChars) < 0 && int.TryParse(text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.HexNumber, null, out var code):
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
