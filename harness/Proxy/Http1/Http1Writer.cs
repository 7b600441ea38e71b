using System.Globalization;
using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>Serialises heads and chunk framing. Header names and values go out exactly as they came in.</summary>
internal static class Http1Writer
{
    public static byte[] RequestHead(string method, string target, string version, IEnumerable<HeaderField> headers)
    {
        var sb = new StringBuilder(256);
        sb.Append(method).Append(' ').Append(target).Append(' ').Append(version).Append("\r\n");
        AppendHeaders(sb, headers);
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    public static byte[] ResponseHead(string version, int status, string reason, IEnumerable<HeaderField> headers)
    {
        var sb = new StringBuilder(256);
        sb.Append(version).Append(' ').Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(reason).Append("\r\n");
        AppendHeaders(sb, headers);
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    public static byte[] ChunkHeader(int length) => Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");

    public static readonly byte[] Crlf = "\r\n"u8.ToArray();

    public static byte[] LastChunk(IEnumerable<HeaderField>? trailers)
    {
        var sb = new StringBuilder("0\r\n");
        AppendHeaders(sb, trailers ?? []);
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    public static byte[] SimpleResponse(int status, string reason, string body, bool close)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new List<HeaderField>
        {
            new("Content-Type", "text/plain; charset=utf-8"),
            new("Content-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)),
        };
        if (close) headers.Add(new HeaderField("Connection", "close"));
        return [.. ResponseHead("HTTP/1.1", status, reason, headers), .. bytes];
    }

    private static void AppendHeaders(StringBuilder sb, IEnumerable<HeaderField> headers)
    {
        foreach (var h in headers) sb.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
        sb.Append("\r\n");
    }
}
