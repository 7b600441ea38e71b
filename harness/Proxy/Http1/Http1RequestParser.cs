using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>
/// Parses what a client sends: request heads and bodies, pipelined one after another.
/// Pauses after a CONNECT or an Upgrade request so the caller can take the raw connection over.
/// </summary>
public sealed class Http1RequestParser(Http1Limits? limits = null) : Http1MessageParser(limits)
{
    protected override int HeadTooLargeStatus => 431;

    protected override Http1Event ParseHead(string startLine, List<HeaderField> headers, out Http1BodyFraming framing, out long length, out bool pauseAfter)
    {
        framing = Http1BodyFraming.None;
        length = 0;
        pauseAfter = false;
        var parts = startLine.Split(' ');
        if (parts.Length != 3 || !IsToken(parts[0]) || parts[1].Length == 0)
            return new Http1ParseError(400, $"bad request line '{Truncate(startLine)}'");
        var (method, target, version) = (parts[0], parts[1], parts[2]);
        if (version is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return version.StartsWith("HTTP/", StringComparison.Ordinal) && version.Length == 8
                ? new Http1ParseError(505, $"HTTP version '{version}' not supported")
                : new Http1ParseError(400, $"bad request line '{Truncate(startLine)}'");
        }
        foreach (var c in target)
        {
            if (c <= 0x20 || c >= 0x7f) return new Http1ParseError(400, "bad character in request target");
        }
        if (!TryGetChunked(headers, out var chunked, out var tePresent) || (tePresent && !chunked))
            return new Http1ParseError(tePresent && !chunked ? 501 : 400, "unsupported Transfer-Encoding");
        if (!TryGetContentLength(headers, out var contentLength, out var error))
            return new Http1ParseError(400, error!);
        if (tePresent && contentLength is not null)
            return new Http1ParseError(400, "both Transfer-Encoding and Content-Length: refused as a request smuggling attempt");
        if (version == "HTTP/1.1" && Http1Headers.Count(headers, "host") > 1)
            return new Http1ParseError(400, "more than one Host header");

        if (chunked) framing = Http1BodyFraming.Chunked;
        else if (contentLength is { } l) { framing = Http1BodyFraming.ContentLength; length = l; }

        var expect = Http1Headers.Get(headers, "expect");
        var head = new Http1RequestHead(method, target, version, headers, framing, contentLength,
            expect is not null && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase));
        pauseAfter = head.IsConnect || head.IsUpgrade;
        return head;
    }
}
