using System.Globalization;
using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>Serialises heads and chunk framing. Header names and values go out exactly as they came in.</summary>
internal static class Http1Writer
{
    // Each head is one array of its exact size, written in place: no StringBuilder, string or enumerator on the way
    // (two heads per exchange on the keep-alive path). Latin1 is one byte per char (a char past U+00FF becomes '?').
    public static byte[] RequestHead(string method, string target, string version, IReadOnlyList<HeaderField> headers)
    {
        var head = GC.AllocateUninitializedArray<byte>(method.Length + 1 + target.Length + 1 + version.Length + 2 + HeadersLength(headers));
        var at = Put(head, 0, method);
        head[at++] = (byte)' ';
        at = Put(head, at, target);
        head[at++] = (byte)' ';
        at = Put(head, at, version);
        PutHeaders(head, PutCrlf(head, at), headers);
        return head;
    }

    public static byte[] ResponseHead(string version, int status, string reason, IReadOnlyList<HeaderField> headers)
    {
        Span<char> digits = stackalloc char[11];
        status.TryFormat(digits, out var statusLength, default, CultureInfo.InvariantCulture);
        var head = GC.AllocateUninitializedArray<byte>(version.Length + 1 + statusLength + 1 + reason.Length + 2 + HeadersLength(headers));
        var at = Put(head, 0, version);
        head[at++] = (byte)' ';
        at = Put(head, at, digits[..statusLength]);
        head[at++] = (byte)' ';
        at = Put(head, at, reason);
        PutHeaders(head, PutCrlf(head, at), headers);
        return head;
    }

    public static byte[] ChunkHeader(int length)
    {
        Span<char> hex = stackalloc char[8];
        length.TryFormat(hex, out var digits, "x", CultureInfo.InvariantCulture);
        var header = new byte[digits + 2];
        PutCrlf(header, Put(header, 0, hex[..digits]));
        return header;
    }

    public static readonly byte[] Crlf = "\r\n"u8.ToArray();

    public static byte[] LastChunk(IReadOnlyList<HeaderField>? trailers)
    {
        trailers ??= [];
        var last = GC.AllocateUninitializedArray<byte>(3 + HeadersLength(trailers));
        last[0] = (byte)'0';
        PutHeaders(last, PutCrlf(last, 1), trailers);
        return last;
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

    /// <summary>The header lines and the blank line that ends them, in bytes.</summary>
    private static int HeadersLength(IReadOnlyList<HeaderField> headers)
    {
        var length = 2;
        for (var i = 0; i < headers.Count; i++) length += headers[i].Name.Length + 2 + headers[i].Value.Length + 2;
        return length;
    }

    private static void PutHeaders(byte[] into, int at, IReadOnlyList<HeaderField> headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            at = Put(into, at, headers[i].Name);
            into[at++] = (byte)':';
            into[at++] = (byte)' ';
            at = PutCrlf(into, Put(into, at, headers[i].Value));
        }
        PutCrlf(into, at);
    }

    private static int Put(byte[] into, int at, ReadOnlySpan<char> text) => at + Encoding.Latin1.GetBytes(text, into.AsSpan(at));

    private static int PutCrlf(byte[] into, int at)
    {
        into[at] = (byte)'\r';
        into[at + 1] = (byte)'\n';
        return at + 2;
    }
}
