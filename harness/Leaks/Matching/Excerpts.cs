using System.Text;

namespace Harness.Leaks;

/// <summary>Human-readable context around a match, the match between « and ».</summary>
public static class Excerpts
{
    public const int Context = 24;

    public static string Around(ReadOnlySpan<byte> data, int start, int length)
    {
        var from = Math.Max(0, start - Context);
        var to = Math.Min(data.Length, start + length + Context);
        var sb = new StringBuilder();
        if (from > 0) sb.Append('…');
        sb.Append(Printable(data[from..start]));
        sb.Append('«').Append(Printable(data.Slice(start, length))).Append('»');
        sb.Append(Printable(data[(start + length)..to]));
        if (to < data.Length) sb.Append('…');
        return sb.ToString();
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsControl(c) || c == '\uFFFD' ? '·' : c);
        return sb.ToString();
    }
}
