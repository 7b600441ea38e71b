using System.Buffers;
using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>
/// The sans-io core shared by request and response parsing: it is fed bytes and appends events, and never
/// reads a socket. Framing (Content-Length, chunked with extensions and trailers, until-close) lives here;
/// start lines and framing decisions live in the subclasses. After an error it is dead and ignores input.
/// Its buffer holds at most one head or chunk line (bounded by <see cref="Http1Limits"/>): body bytes are
/// emitted as soon as they arrive.
/// </summary>
public abstract class Http1MessageParser
{
    private enum State { Head, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Paused, Dead }

    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private int _scan;
    private State _state = State.Head;
    private long _remaining;

    protected Http1MessageParser(Http1Limits? limits) => Limits = limits ?? new Http1Limits();

    protected Http1Limits Limits { get; }

    /// <summary>After CONNECT or a protocol switch the rest of the bytes are not HTTP: parsing stops until <see cref="Resume"/>.</summary>
    public bool IsPaused => _state == State.Paused;
    public bool IsDead => _state == State.Dead;

    /// <summary>True between messages with nothing buffered: a close here is a clean close.</summary>
    public bool IsIdle => _state == State.Head && _end == _start;

    public void Feed(ReadOnlySpan<byte> data, List<Http1Event> events)
    {
        if (_state == State.Dead) return;
        data = EmitBodyFromInput(data, events);
        Append(data);
        Process(events);
    }

    /// <summary>
    /// Body bytes need no parsing: while nothing is buffered and the parser is inside a body, they become events straight
    /// from the input (one copy, into the event) instead of going through the head buffer first. Returns the rest.
    /// </summary>
    private ReadOnlySpan<byte> EmitBodyFromInput(ReadOnlySpan<byte> data, List<Http1Event> events)
    {
        while (!data.IsEmpty && _start == _end)
        {
            int take;
            switch (_state)
            {
                case State.UntilClose:
                    take = data.Length;
                    break;
                case State.FixedBody or State.ChunkData:
                    take = (int)Math.Min(data.Length, _remaining);
                    break;
                default:
                    return data;
            }
            events.Add(new Http1BodyData(data[..take].ToArray()));
            data = data[take..];
            if (_state == State.UntilClose) continue;
            _remaining -= take;
            if (_remaining > 0) continue;
            if (_state == State.FixedBody) Complete(events);
            else _state = State.ChunkDataEnd;
        }
        return data;
    }

    /// <summary>The peer closed its side.</summary>
    public void FeedEof(List<Http1Event> events)
    {
        switch (_state)
        {
            case State.UntilClose:
                if (_end > _start) EmitBody(events, _end - _start);
                _state = State.Head;
                events.Add(new Http1MessageComplete());
                break;
            case State.Head when _end == _start:
            case State.Paused:
            case State.Dead:
                break;
            default:
                Fail(events, 400, "connection closed in the middle of a message");
                break;
        }
    }

    /// <summary>Bytes received but not parsed (after CONNECT / 101), handed to whoever takes over the connection.</summary>
    public byte[] TakeRemainder()
    {
        var rest = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end = _scan = 0;
        return rest;
    }

    /// <summary>Continue parsing HTTP after a pause (an Upgrade the server declined).</summary>
    public void Resume(List<Http1Event> events)
    {
        if (_state != State.Paused) return;
        _state = State.Head;
        Process(events);
    }

    /// <summary>Parse a start line and headers. Return the event and framing, or an error.</summary>
    protected abstract Http1Event ParseHead(string startLine, List<HeaderField> headers, out Http1BodyFraming framing, out long length, out bool pauseAfter);

    /// <summary>Status for an oversized head: 431 for requests.</summary>
    protected abstract int HeadTooLargeStatus { get; }

    /// <summary>Set by the head of a CONNECT / Upgrade / 101 message: pause once that message completes.</summary>
    private bool _pauseAfterMessage;

    private void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_end + data.Length > _buffer.Length)
        {
            var live = _end - _start;
            if (live + data.Length <= _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, live);
            }
            else
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, live + data.Length)];
                Buffer.BlockCopy(_buffer, _start, bigger, 0, live);
                _buffer = bigger;
            }
            _scan -= _start;
            _start = 0;
            _end = live;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    private void Process(List<Http1Event> events)
    {
        while (true)
        {
            var available = _end - _start;
            switch (_state)
            {
                case State.Head:
                    if (!TryParseHead(events)) { Compact(); return; }
                    break;
                case State.FixedBody:
                    if (available == 0) { Compact(); return; }
                    var take = (int)Math.Min(available, _remaining);
                    EmitBody(events, take);
                    _remaining -= take;
                    if (_remaining == 0) Complete(events);
                    break;
                case State.ChunkSize:
                    if (!TryParseChunkSize(events)) { Compact(); return; }
                    break;
                case State.ChunkData:
                    if (available == 0) { Compact(); return; }
                    var chunk = (int)Math.Min(available, _remaining);
                    EmitBody(events, chunk);
                    _remaining -= chunk;
                    if (_remaining == 0) _state = State.ChunkDataEnd;
                    break;
                case State.ChunkDataEnd:
                    if (available < 2) { Compact(); return; }
                    if (_buffer[_start] != '\r' || _buffer[_start + 1] != '\n') { Fail(events, 400, "chunk data not followed by CRLF"); return; }
                    _start += 2;
                    _scan = _start;
                    _state = State.ChunkSize;
                    break;
                case State.Trailers:
                    if (!TryParseTrailers(events)) { Compact(); return; }
                    break;
                case State.UntilClose:
                    if (available == 0) { Compact(); return; }
                    EmitBody(events, available);
                    break;
                default:
                    return;
            }
        }
    }

    private void Compact()
    {
        if (_start == _end) { _start = _end = _scan = 0; }
    }

    private void EmitBody(List<Http1Event> events, int count)
    {
        events.Add(new Http1BodyData(_buffer.AsSpan(_start, count).ToArray()));
        _start += count;
        _scan = _start;
    }

    private void Complete(List<Http1Event> events)
    {
        events.Add(new Http1MessageComplete());
        _state = _pauseAfterMessage ? State.Paused : State.Head;
        _pauseAfterMessage = false;
        _scan = _start;
    }

    protected void Fail(List<Http1Event> events, int status, string message)
    {
        events.Add(new Http1ParseError(status, message));
        _state = State.Dead;
        _start = _end = _scan = 0;
    }

    /// <summary>
    /// Finds the end of a header block (an empty line) scanning from where the last call stopped.
    /// Every line must end in CRLF: a bare CR or bare LF is how header injection and smuggling start, so it is an error.
    /// Returns the end offset (after the blank line), -1 when more input is needed, -2 after an error was emitted.
    /// </summary>
    private int FindBlockEnd(List<Http1Event> events, int lineStart, int limit, int tooLargeStatus, string what)
    {
        if (_scan < lineStart) _scan = lineStart;
        var currentLineStart = lineStart;
        // Re-find the start of the line containing _scan so an empty line is recognised across feeds.
        for (var i = _scan - 1; i >= lineStart; i--)
        {
            if (_buffer[i] == '\n') { currentLineStart = i + 1; break; }
        }
        for (var i = _scan; i < _end; i++)
        {
            var b = _buffer[i];
            if (b == '\r')
            {
                if (i + 1 >= _end) { _scan = i; return CheckLimit(events, lineStart, limit, tooLargeStatus, what); }
                if (_buffer[i + 1] != '\n') { Fail(events, 400, $"bare CR in {what}"); return -2; }
                i++;
                if (i - 1 == currentLineStart) { _scan = i + 1; return i + 1; }
                currentLineStart = i + 1;
            }
            else if (b == '\n')
            {
                Fail(events, 400, $"bare LF in {what}");
                return -2;
            }
            else if (b == 0)
            {
                Fail(events, 400, $"NUL byte in {what}");
                return -2;
            }
            if (i + 1 - lineStart > limit) { Fail(events, tooLargeStatus, $"{what} larger than {limit} bytes"); return -2; }
        }
        _scan = _end;
        return CheckLimit(events, lineStart, limit, tooLargeStatus, what);
    }

    private int CheckLimit(List<Http1Event> events, int lineStart, int limit, int status, string what)
    {
        if (_end - lineStart > limit) { Fail(events, status, $"{what} larger than {limit} bytes"); return -2; }
        return -1;
    }

    private bool TryParseHead(List<Http1Event> events)
    {
        // RFC 9112 §2.2: ignore empty lines before a request line.
        while (_end - _start >= 2 && _buffer[_start] == '\r' && _buffer[_start + 1] == '\n') { _start += 2; }
        if (_end == _start) return false;
        var end = FindBlockEnd(events, _start, Limits.MaxHeadBytes, HeadTooLargeStatus, "header block");
        if (end < 0) return false;
        var text = Encoding.Latin1.GetString(_buffer, _start, end - _start - 4);
        _start = end;
        _scan = end;
        var lines = text.Split("\r\n");
        var headers = new List<HeaderField>();
        if (!ParseHeaderLines(events, lines.AsSpan(1), headers, Limits.MaxHeaderCount)) return false;
        var head = ParseHead(lines[0], headers, out var framing, out var length, out var pauseAfter);
        events.Add(head);
        if (head is Http1ParseError) { _state = State.Dead; _start = _end = _scan = 0; return false; }
        if (head is Http1ResponseHead { IsInterim: true }) return true;
        _pauseAfterMessage = pauseAfter;
        switch (framing)
        {
            case Http1BodyFraming.None:
                Complete(events);
                break;
            case Http1BodyFraming.ContentLength:
                _remaining = length;
                if (length == 0) Complete(events); else _state = State.FixedBody;
                break;
            case Http1BodyFraming.Chunked:
                _state = State.ChunkSize;
                break;
            case Http1BodyFraming.UntilClose:
                _state = State.UntilClose;
                break;
        }
        return _state != State.Paused && _state != State.Dead;
    }

    private bool ParseHeaderLines(List<Http1Event> events, ReadOnlySpan<string> lines, List<HeaderField> headers, int maxCount)
    {
        foreach (var line in lines)
        {
            if (line.Length == 0) continue;
            if (line[0] is ' ' or '\t') { Fail(events, 400, "obsolete line folding in header"); return false; }
            var colon = line.IndexOf(':');
            if (colon <= 0) { Fail(events, 400, $"header line without a name: '{Truncate(line)}'"); return false; }
            var name = line[..colon];
            if (!IsToken(name)) { Fail(events, 400, $"invalid header name '{Truncate(name)}'"); return false; }
            var value = line[(colon + 1)..].Trim(' ', '\t');
            foreach (var ch in value)
            {
                if (ch < 0x20 && ch != '\t' || ch == 0x7f) { Fail(events, 400, $"control character in header '{name}'"); return false; }
            }
            headers.Add(new HeaderField(name, value));
            if (headers.Count > maxCount) { Fail(events, HeadTooLargeStatus, $"more than {maxCount} header fields"); return false; }
        }
        return true;
    }

    private bool TryParseChunkSize(List<Http1Event> events)
    {
        var lf = -1;
        for (var i = _start; i < _end; i++)
        {
            if (_buffer[i] == '\n') { lf = i; break; }
        }
        if (lf < 0)
        {
            if (_end - _start > Limits.MaxChunkLineBytes) Fail(events, 400, "chunk size line too long");
            return false;
        }
        if (lf == _start || _buffer[lf - 1] != '\r') { Fail(events, 400, "chunk size line not terminated by CRLF"); return false; }
        var line = Encoding.Latin1.GetString(_buffer, _start, lf - 1 - _start);
        _start = lf + 1;
        _scan = _start;
        var semicolon = line.IndexOf(';');
        var sizeText = (semicolon >= 0 ? line[..semicolon] : line).TrimEnd(' ', '\t');
        if (sizeText.Length == 0 || sizeText.Length > 15 || !sizeText.All(Uri.IsHexDigit))
        {
            Fail(events, 400, $"bad chunk size '{Truncate(line)}'");
            return false;
        }
        if (semicolon >= 0 && line.AsSpan(semicolon).IndexOfAny('\r', '\0') >= 0) { Fail(events, 400, "bad chunk extension"); return false; }
        var size = Convert.ToInt64(sizeText, 16);
        if (size == 0) { _state = State.Trailers; _scan = _start; return true; }
        _remaining = size;
        _state = State.ChunkData;
        return true;
    }

    private bool TryParseTrailers(List<Http1Event> events)
    {
        if (_end - _start >= 2 && _buffer[_start] == '\r' && _buffer[_start + 1] == '\n')
        {
            _start += 2;
            Complete(events);
            return _state == State.Head;
        }
        if (_end - _start < 2) return false;
        // Trailers end with an empty line just like a head, so the same CRLF-strict scanner applies.
        var end = FindTrailerEnd(events);
        if (end < 0) return false;
        var text = Encoding.Latin1.GetString(_buffer, _start, end - _start - 4);
        _start = end;
        var trailers = new List<HeaderField>();
        if (!ParseHeaderLines(events, text.Split("\r\n"), trailers, Limits.MaxHeaderCount)) return false;
        events.Add(new Http1Trailers(trailers));
        Complete(events);
        return _state == State.Head;
    }

    private int FindTrailerEnd(List<Http1Event> events) => FindBlockEnd(events, _start, Limits.MaxTrailerBytes, 400, "trailer block");

    protected static bool IsToken(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
        {
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".Contains(c)) return false;
        }
        return true;
    }

    protected static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    // Both run on every head: indexed loops over spans, no LINQ, split arrays or trimmed strings.

    /// <summary>Content-Length per RFC 9110 §8.6: digits only; repeated identical values are one value; differing ones are an error.</summary>
    protected static bool TryGetContentLength(List<HeaderField> headers, out long? length, out string? error)
    {
        length = null;
        error = null;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!headers[i].Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)) continue;
            var raw = headers[i].Value;
            var rest = raw.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var p = (comma < 0 ? rest : rest[..comma]).Trim();
                if (p.Length == 0 || p.Length > 18 || p.ContainsAnyExceptInRange('0', '9')) { error = $"invalid Content-Length '{Truncate(raw)}'"; return false; }
                var value = long.Parse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                if (length is { } l && l != value) { error = "conflicting Content-Length values"; return false; }
                length = value;
                if (comma < 0) break;
                rest = rest[(comma + 1)..];
            }
        }
        return true;
    }

    /// <summary>Transfer-Encoding: true when chunked is the final coding; error when it is present but not final.</summary>
    protected static bool TryGetChunked(List<HeaderField> headers, out bool chunked, out bool present)
    {
        var chunkedCount = 0;
        present = false;
        chunked = false;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!headers[i].Name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)) continue;
            var rest = headers[i].Value.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var coding = (comma < 0 ? rest : rest[..comma]).Trim();
                if (coding.Length > 0)
                {
                    // Empty list elements are skipped; the last coding seen decides.
                    present = true;
                    chunked = coding.Equals("chunked", StringComparison.OrdinalIgnoreCase);
                    if (chunked) chunkedCount++;
                }
                if (comma < 0) break;
                rest = rest[(comma + 1)..];
            }
        }
        return chunkedCount <= 1 && (chunkedCount == 0 || chunked);
    }
}
