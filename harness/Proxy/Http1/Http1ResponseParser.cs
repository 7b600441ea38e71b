using System.Globalization;
using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>
/// Parses what a server sends. A response's framing depends on the request (HEAD, CONNECT), so the caller
/// announces each request with <see cref="ExpectResponseTo"/> in the order they were sent.
/// </summary>
public sealed class Http1ResponseParser(Http1Limits? limits = null) : Http1MessageParser(limits)
{
    private readonly Queue<string> _methods = new();

    protected override int HeadTooLargeStatus => 502;

    public void ExpectResponseTo(string method) => _methods.Enqueue(method);

    protected override Http1Event ParseHead(string startLine, List<HeaderField> headers, out Http1BodyFraming framing, out long length, out bool pauseAfter)
    {
        framing = Http1BodyFraming.None;
        length = 0;
        pauseAfter = false;
        var firstSpace = startLine.IndexOf(' ');
        if (firstSpace < 0) return new Http1ParseError(502, $"bad status line '{Truncate(startLine)}'");
        var version = startLine[..firstSpace];
        var rest = startLine[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf(' ');
        var codeText = secondSpace < 0 ? rest : rest[..secondSpace];
        var reason = secondSpace < 0 ? "" : rest[(secondSpace + 1)..];
        if (!version.StartsWith("HTTP/1.", StringComparison.Ordinal) || version.Length != 8 || codeText.Length != 3 ||
            !int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100)
            return new Http1ParseError(502, $"bad status line '{Truncate(startLine)}'");

        var isInterim = status is >= 100 and < 200 and not 101;
        var method = isInterim ? _methods.TryPeek(out var m) ? m : "GET" : _methods.TryDequeue(out var d) ? d : "GET";
        if (!TryGetChunked(headers, out var chunked, out var tePresent))
            return new Http1ParseError(502, "bad Transfer-Encoding");
        if (!TryGetContentLength(headers, out var contentLength, out var error) && !tePresent)
            return new Http1ParseError(502, error!);

        var isConnect = method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
        if (status < 200 || status is 204 or 304 || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) || (isConnect && status < 300))
            framing = Http1BodyFraming.None;
        else if (tePresent)
            framing = chunked ? Http1BodyFraming.Chunked : Http1BodyFraming.UntilClose;
        else if (contentLength is { } l) { framing = Http1BodyFraming.ContentLength; length = l; }
        else framing = Http1BodyFraming.UntilClose;

        pauseAfter = status == 101 || (isConnect && status is >= 200 and < 300);
        return new Http1ResponseHead(version, status, reason, headers, framing, contentLength);
    }
}
