using System.Globalization;
using System.Text;

namespace Harness.VirtualDevice.Network.Http;

/// <summary>
/// Incremental HTTP/1.1 message parser without I/O: feed it bytes as they arrive, then read
/// <see cref="Message"/> once <see cref="IsComplete"/>. Handles Content-Length, chunked and
/// read-until-close framing, and skips interim 1xx responses.
/// </summary>
public sealed class Http1MessageParser
{
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly Http1MessageKind _kind;
    private readonly bool _responseToHead;
    private readonly List<byte> _pending = [];
    private readonly MemoryStream _body = new();
    private State _state = State.Head;
    private long _remaining;
    private Http1Message? _head;

    /// <param name="kind">Whether requests or responses are parsed.</param>
    /// <param name="responseToHead">For responses: the request was HEAD, so no body follows.</param>
    public Http1MessageParser(Http1MessageKind kind, bool responseToHead = false)
    {
        _kind = kind;
        _responseToHead = responseToHead;
    }

    private enum State
    {
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        Complete,
    }

    public bool IsComplete => _state == State.Complete;

    /// <summary>True while no byte of a message has been seen (a kept-alive connection may end here).</summary>
    public bool IsIdle => _state == State.Head && _pending.Count == 0;

    public Http1Message? Message { get; private set; }

    /// <summary>Consumes bytes; returns how many were used (the rest belong to the next message).</summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        var consumed = 0;
        while (consumed < data.Length && _state != State.Complete)
        {
            switch (_state)
            {
                case State.FixedBody:
                {
                    var take = (int)Math.Min(_remaining, data.Length - consumed);
                    _body.Write(data.Slice(consumed, take));
                    consumed += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        Finish();
                    }

                    break;
                }

                case State.ChunkData:
                {
                    var take = (int)Math.Min(_remaining, data.Length - consumed);
                    _body.Write(data.Slice(consumed, take));
                    consumed += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.ChunkDataEnd;
                    }

                    break;
                }

                case State.UntilClose:
                    _body.Write(data[consumed..]);
                    consumed = data.Length;
                    break;

                default:
                {
                    // Line-oriented states: collect one line at a time.
                    var b = data[consumed++];
                    _pending.Add(b);
                    if (_pending.Count > MaxHeaderBytes)
                    {
                        throw new Http1ProtocolException($"HTTP header section exceeds {MaxHeaderBytes} bytes");
                    }

                    if (b == (byte)'\n')
                    {
                        OnLineEnd();
                    }

                    break;
                }
            }
        }

        return consumed;
    }

    /// <summary>The peer closed its sending side. Completes a read-until-close body or fails a truncated message.</summary>
    public void FeedEndOfStream()
    {
        if (_state == State.UntilClose)
        {
            Finish();
            return;
        }

        if (_state != State.Complete)
        {
            throw new Http1ProtocolException(IsIdle
                ? "connection closed before any HTTP message arrived"
                : $"connection closed in the middle of an HTTP message ({_state})");
        }
    }

    private void OnLineEnd()
    {
        switch (_state)
        {
            case State.Head:
                if (EndsWithBlankLine())
                {
                    ParseHead();
                }

                break;

            case State.ChunkSize:
            {
                var line = TakeLine();
                var sizeText = line.Split(';', 2)[0].Trim();
                if (!long.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
                {
                    throw new Http1ProtocolException($"bad chunk size line '{line}'");
                }

                _remaining = size;
                _state = size == 0 ? State.Trailers : State.ChunkData;
                break;
            }

            case State.ChunkDataEnd:
                if (TakeLine().Length != 0)
                {
                    throw new Http1ProtocolException("chunk data not followed by CRLF");
                }

                _state = State.ChunkSize;
                break;

            case State.Trailers:
                if (TakeLine().Length == 0)
                {
                    Finish();
                }

                break;
        }
    }

    private bool EndsWithBlankLine()
    {
        var n = _pending.Count;
        if (n == 2 && _pending[0] == '\r')
        {
            return true;
        }

        return (n >= 4 && _pending[n - 4] == '\r' && _pending[n - 3] == '\n' && _pending[n - 2] == '\r')
            || (n >= 2 && _pending[n - 2] == '\n');
    }

    private string TakeLine()
    {
        var text = Encoding.Latin1.GetString(_pending.ToArray()).TrimEnd('\r', '\n');
        _pending.Clear();
        return text;
    }

    private void ParseHead()
    {
        var text = Encoding.Latin1.GetString(_pending.ToArray());
        _pending.Clear();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            // Tolerate stray CRLFs between messages (RFC 9112 §2.2).
            lines.RemoveAt(0);
        }

        if (lines.Count == 0)
        {
            return;
        }

        var startLine = lines[0];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new Http1ProtocolException($"bad header line '{line}'");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        var parts = startLine.Split(' ', 3);
        Http1Message head;
        if (_kind == Http1MessageKind.Request)
        {
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/", StringComparison.Ordinal))
            {
                throw new Http1ProtocolException($"bad request line '{startLine}'");
            }

            head = new Http1Message(_kind, parts[2], parts[0], parts[1], 0, string.Empty, headers, []);
        }
        else
        {
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new Http1ProtocolException($"bad status line '{startLine}'");
            }

            if (status is >= 100 and < 200 && status != 101)
            {
                // Interim response (100 Continue, 103 Early Hints): the real one follows.
                return;
            }

            head = new Http1Message(_kind, parts[0], string.Empty, string.Empty, status, parts.Length > 2 ? parts[2] : string.Empty, headers, []);
        }

        _head = head;
        ChooseFraming(head);
    }

    private void ChooseFraming(Http1Message head)
    {
        var transferEncoding = head.Header("Transfer-Encoding");
        var contentLength = head.Header("Content-Length");
        var noBody = _kind == Http1MessageKind.Response
            && (_responseToHead || head.StatusCode is 204 or 304 || head.StatusCode is >= 100 and < 200);
        if (noBody)
        {
            Finish();
        }
        else if (transferEncoding is not null && transferEncoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            _state = State.ChunkSize;
        }
        else if (contentLength is not null)
        {
            if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw new Http1ProtocolException($"bad Content-Length '{contentLength}'");
            }

            _remaining = length;
            if (length == 0)
            {
                Finish();
            }
            else
            {
                _state = State.FixedBody;
            }
        }
        else if (_kind == Http1MessageKind.Request)
        {
            Finish();
        }
        else
        {
            _state = State.UntilClose;
        }
    }

    private void Finish()
    {
        Message = _head! with { Body = _body.ToArray() };
        _state = State.Complete;
    }
}
