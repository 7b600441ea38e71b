using System.Text;

namespace Harness.Adb;

/// <summary>
/// Prepares text for `input text`: Input.sendText turns `%s` into a space (there is no other escape), and the
/// argument first passes through the device's sh. So spaces become %s and the whole thing is single-quoted.
/// Non-ASCII cannot be typed through the virtual keyboard's key map, so it is refused up front.
/// </summary>
public static class InputTextEscaper
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            throw new ArgumentException("input text needs at least one character", nameof(text));
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > 0x7E || (c < 0x20))
                throw new UnsupportedTextException(
                    $"`input text` cannot type {(c < 0x20 ? $"control character U+{(int)c:X4}" : $"non-ASCII character '{c}' (U+{(int)c:X4})")} at index {i}: " +
                    "it uses the virtual keyboard key map, which only has printable ASCII; use a key event or the clipboard instead");
            if (c == ' ') builder.Append("%s");
            else if (c == '%' && i + 1 < text.Length && text[i + 1] == 's')
                throw new UnsupportedTextException("`input text` cannot type a literal \"%s\": Android always turns it into a space");
            else builder.Append(c);
        }
        return ShellQuote.Quote(builder.ToString());
    }
}
