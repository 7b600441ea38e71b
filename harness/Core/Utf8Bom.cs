namespace Harness.Core;

/// <summary>
/// The UTF-8 byte order mark (EF BB BF) that Windows PowerShell 5.1 and Notepad write at the start of a file. JSON
/// parsers refuse it as "an invalid start of a value", so every reader of a user's file drops it first; positions
/// are then counted from the first visible character, as an editor shows them.
/// </summary>
public static class Utf8Bom
{
    public static ReadOnlySpan<byte> Bytes => [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> text) => text.StartsWith(Bytes) ? text[Bytes.Length..] : text;

    public static ReadOnlyMemory<byte> Skip(ReadOnlyMemory<byte> text) => text.Span.StartsWith(Bytes) ? text[Bytes.Length..] : text;
}
