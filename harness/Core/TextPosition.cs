using System.Buffers;
using System.Text;

namespace Harness.Core;

/// <summary>Turns byte offsets in a user's file into the 1-based line and column an error message names.</summary>
public static class TextPosition
{
    public static (int Line, int Column) Of(ReadOnlySpan<byte> text, long offset)
    {
        var before = text[..(int)Math.Clamp(offset, 0, text.Length)];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, before.Length - lineStart + 1);
    }

    /// <summary>
    /// Offset of the first byte that is not UTF-8, or null when all is. JSON readers accept such bytes inside strings and
    /// only fail (with InvalidOperationException) when the string is read, far from the user's mistake.
    /// </summary>
    public static int? FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        if (System.Text.Unicode.Utf8.IsValid(text)) return null;
        var offset = 0;
        while (offset < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) != OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }

    /// <summary>Throws the standard complaint when <paramref name="text"/> is not UTF-8.</summary>
    public static void RequireUtf8(ReadOnlySpan<byte> text, string? file, string what)
    {
        if (FirstInvalidUtf8(text) is not { } bad) return;
        var (line, column) = Of(text, bad);
        throw new BadInputException($"not UTF-8 text (byte 0x{text[bad]:X2}); {what} must be saved as UTF-8", file, line, column, "(encoding)");
    }
}
