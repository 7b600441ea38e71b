using System.Text;

namespace Harness.Leaks;

/// <summary>multipart/form-data: parts separated by the boundary from the Content-Type header.</summary>
public static class MultipartDecoder
{
    public static string? BoundaryOf(string? contentType)
    {
        if (contentType is null || !contentType.Contains("multipart/", StringComparison.OrdinalIgnoreCase)) return null;
        foreach (var part in contentType.Split(';'))
        {
            var p = part.Trim();
            if (p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase)) return p[9..].Trim('"');
        }
        return null;
    }

    public static List<(string Name, ReadOnlyMemory<byte> Content)> Decode(ReadOnlyMemory<byte> body, string boundary)
    {
        var parts = new List<(string, ReadOnlyMemory<byte>)>();
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var span = body.Span;
        var start = span.IndexOf(delimiter);
        var index = 0;
        while (start >= 0)
        {
            var afterDelimiter = start + delimiter.Length;
            if (afterDelimiter + 2 <= span.Length && span[afterDelimiter] == '-' && span[afterDelimiter + 1] == '-') break;
            var next = span[afterDelimiter..].IndexOf(delimiter);
            var end = next < 0 ? span.Length : afterDelimiter + next;
            var part = body[afterDelimiter..end];
            var headerEnd = part.Span.IndexOf("\r\n\r\n"u8);
            var sepLength = 4;
            if (headerEnd < 0) { headerEnd = part.Span.IndexOf("\n\n"u8); sepLength = 2; }
            if (headerEnd >= 0)
            {
                var headers = Encoding.UTF8.GetString(part.Span[..headerEnd]);
                var content = part[(headerEnd + sepLength)..];
                if (content.Span.EndsWith("\r\n"u8)) content = content[..^2];
                else if (content.Span.EndsWith("\n"u8)) content = content[..^1];
                parts.Add((NameOf(headers) ?? $"#{index}", content));
            }
            index++;
            if (next < 0) break;
            start = end;
        }
        return parts;
    }

    private static string? NameOf(string headers)
    {
        var i = headers.IndexOf("name=\"", StringComparison.OrdinalIgnoreCase);
        if (i < 0) return null;
        var end = headers.IndexOf('"', i + 6);
        return end < 0 ? null : headers[(i + 6)..end];
    }
}
