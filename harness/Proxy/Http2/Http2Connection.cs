using System.Buffers;
using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// One HTTP/2 connection (RFC 9113) without I/O, in either role: <see cref="Feed"/> the bytes received and read the
/// events it reports; submit requests, responses, data, trailers and resets per stream; <see cref="TakeOutput"/> the
/// bytes to send after either. Flow control is the receiver's: DATA reopens the peer's windows only when
/// <see cref="ConsumeData"/> says the bytes were passed on. Priorities are parsed and ignored; push is disabled.
/// </summary>
public sealed class Http2Connection
{
    private readonly Http2ConnectionOptions _options;
    private readonly Http2FrameReader _reader;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly HpackEncoder _encoder;
    private readonly HpackDecoder _decoder;
    private readonly Dictionary<int, Http2Stream> _streams = [];
    // Streams with data, trailers or END_STREAM waiting for a window, in the order they were submitted.
    private readonly List<Http2Stream> _sending = [];
    // Streams we reset, whose in-flight frames are ignored rather than answered (RFC 9113 5.4.2), oldest first.
    private readonly Queue<int> _resetOrder = new();
    private readonly HashSet<int> _reset = [];
    // Closed streams whose received data the receiver still holds: consuming it later still reopens the connection window.
    private readonly Dictionary<int, long> _closedUnconsumed = [];
    // Our SETTINGS sent and not yet acknowledged, oldest first.
    private readonly Queue<Http2Settings> _unacknowledged = new();

    private Http2Settings _localAcknowledged = new();
    private int _prefaceRemaining;
    private bool _settingsReceived;
    private long _connectionSendWindow = Http2Settings.DefaultInitialWindowSize;
    private long _connectionReceiveWindow = Http2Settings.DefaultInitialWindowSize;
    private long _connectionConsumedUnacknowledged;
    private int _lastPeerStreamId;
    // The last stream id our first GOAWAY named: a later GOAWAY may not name a higher one (RFC 9113 6.8).
    private int? _goAwayLastStreamId;
    // Open or half-closed streams by who opened them (the two concurrency limits count separately).
    private int _localActive;
    private int _peerActive;
    private int _nextLocalStreamId;
    // A header block spread over HEADERS and CONTINUATION frames (RFC 9113 6.10).
    private int _continuationStreamId;
    private bool _continuationEndStream;
    private readonly MemoryStream _headerBlock = new();

    public Http2Connection(Http2Role role, Http2ConnectionOptions? options = null)
    {
        Role = role;
        _options = options ?? new Http2ConnectionOptions();
        _reader = new Http2FrameReader(_options.MaxFrameSize);
        _encoder = new HpackEncoder(_options.EncoderTableSize);
        _decoder = new HpackDecoder(Math.Max(_options.HeaderTableSize, 4096));
        _nextLocalStreamId = role == Http2Role.Client ? 1 : 2;
        _prefaceRemaining = role == Http2Role.Server ? Http2Preface.Length : 0;
        LocalSettings = new Http2Settings
        {
            HeaderTableSize = _options.HeaderTableSize,
            EnablePush = false,
            MaxConcurrentStreams = _options.MaxConcurrentStreams,
            InitialWindowSize = _options.InitialStreamWindowSize,
            MaxFrameSize = _options.MaxFrameSize,
            MaxHeaderListSize = _options.MaxHeaderListSize,
            EnableConnectProtocol = role == Http2Role.Server && _options.EnableConnectProtocol,
        };
        if (role == Http2Role.Client) _output.Write(Http2Preface.Bytes);
        var settings = new List<Http2Setting>
        {
            new(Http2SettingId.HeaderTableSize, (uint)LocalSettings.HeaderTableSize),
            new(Http2SettingId.EnablePush, 0),
            new(Http2SettingId.MaxConcurrentStreams, (uint)LocalSettings.MaxConcurrentStreams),
            new(Http2SettingId.InitialWindowSize, (uint)LocalSettings.InitialWindowSize),
            new(Http2SettingId.MaxFrameSize, (uint)LocalSettings.MaxFrameSize),
            new(Http2SettingId.MaxHeaderListSize, (uint)LocalSettings.MaxHeaderListSize),
        };
        if (LocalSettings.EnableConnectProtocol) settings.Add(new(Http2SettingId.EnableConnectProtocol, 1));
        Http2FrameWriter.WriteSettings(_output, settings);
        _unacknowledged.Enqueue(LocalSettings.Clone());
        if (_options.ConnectionWindowSize > Http2Settings.DefaultInitialWindowSize)
        {
            Http2FrameWriter.WriteWindowUpdate(_output, 0, _options.ConnectionWindowSize - Http2Settings.DefaultInitialWindowSize);
            _connectionReceiveWindow = _options.ConnectionWindowSize;
        }
    }

    public Http2Role Role { get; }

    /// <summary>What we advertised (in force once <see cref="Http2SettingsAcknowledged"/> is reported).</summary>
    public Http2Settings LocalSettings { get; }

    /// <summary>The peer's settings as received so far (protocol defaults before its first SETTINGS).</summary>
    public Http2Settings PeerSettings { get; } = new();

    /// <summary>A connection error happened (ours or the peer's GOAWAY with an error): no more input is processed.</summary>
    public bool IsFailed { get; private set; }

    /// <summary>We sent GOAWAY: new streams from the peer are refused.</summary>
    public bool GoAwaySent { get; private set; }

    /// <summary>The peer's GOAWAY last-stream id, once received.</summary>
    public int? PeerGoAwayLastStreamId { get; private set; }

    /// <summary>What we may still send on the connection (the peer's connection window).</summary>
    public long ConnectionSendWindow => _connectionSendWindow;

    /// <summary>What the peer may still send on the connection before we reopen it.</summary>
    public long ConnectionReceiveWindow => _connectionReceiveWindow;

    /// <summary>Bytes queued to send (call <see cref="TakeOutput"/>).</summary>
    public int PendingOutputLength => _output.WrittenCount;

    /// <summary>Client role: a new stream may be opened now (no GOAWAY, the peer's concurrency limit not reached).</summary>
    public bool CanOpenStream =>
        !IsFailed && PeerGoAwayLastStreamId is null && !GoAwaySent && _nextLocalStreamId > 0 &&
        _localActive < PeerSettings.MaxConcurrentStreams;

    /// <summary>Streams that are open or half-closed.</summary>
    public int ActiveStreamCount => _streams.Count;

    public Http2StreamState GetStreamState(int streamId)
    {
        if (_streams.TryGetValue(streamId, out var stream)) return stream.State;
        return IsPeerInitiated(streamId) ? (streamId <= _lastPeerStreamId ? Http2StreamState.Closed : Http2StreamState.Idle)
            : (streamId < _nextLocalStreamId ? Http2StreamState.Closed : Http2StreamState.Idle);
    }

    /// <summary>What we may still send on this stream (the smaller of this and the connection window applies).</summary>
    public long GetStreamSendWindow(int streamId) => _streams.TryGetValue(streamId, out var s) ? s.SendWindow : 0;

    /// <summary>What the peer may still send on this stream.</summary>
    public long GetStreamReceiveWindow(int streamId) => _streams.TryGetValue(streamId, out var s) ? s.ReceiveWindow : 0;

    /// <summary>Submitted data of this stream still waiting for the peer to open a window.</summary>
    public long GetBufferedSendBytes(int streamId) => _streams.TryGetValue(streamId, out var s) ? s.Buffered : 0;

    /// <summary>The bytes to send, in order; the buffer is empty afterwards.</summary>
    public byte[] TakeOutput()
    {
        var bytes = _output.WrittenSpan.ToArray();
        _output.ResetWrittenCount();
        return bytes;
    }

    /// <summary>Appends the bytes to send, in order, to <paramref name="destination"/> (a buffer the caller reuses); the output is empty afterwards.</summary>
    public void TakeOutput(IBufferWriter<byte> destination)
    {
        destination.Write(_output.WrittenSpan);
        _output.ResetWrittenCount();
    }

    /// <summary>Processes received bytes; every frame they complete is handled and its events appended.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<Http2Event> events)
    {
        if (IsFailed) return;
        if (_prefaceRemaining > 0)
        {
            var take = Math.Min(_prefaceRemaining, data.Length);
            var offset = Http2Preface.Length - _prefaceRemaining;
            if (!data[..take].SequenceEqual(Http2Preface.Bytes.Slice(offset, take)))
            {
                Fail(Http2ErrorCode.ProtocolError, "no HTTP/2 connection preface", events);
                return;
            }
            _prefaceRemaining -= take;
            data = data[take..];
        }
        _reader.Append(data);
        try
        {
            while (!IsFailed)
            {
                try
                {
                    if (!_reader.TryRead(out var frame)) break;
                    Handle(frame, events);
                }
                catch (Http2ProtocolException e) when (!e.IsConnectionError)
                {
                    ResetLocally(e.StreamId, e.ErrorCode, events);
                }
            }
        }
        catch (Http2ProtocolException e)
        {
            Fail(e.ErrorCode, e.Message, events);
        }
        catch (HpackException e)
        {
            Fail(Http2ErrorCode.CompressionError, e.Message, events);
        }
    }

    /// <summary>The peer closed its side of the transport: every unfinished stream is reported lost.</summary>
    public void FeedEof(List<Http2Event> events)
    {
        if (IsFailed) return;
        IsFailed = true;
        AbandonAll(events);
    }

    /// <summary>Client role: opens a stream with a request header block (pseudo-header fields first).</summary>
    /// <returns>The new stream's id.</returns>
    public int SubmitRequest(IReadOnlyList<HeaderField> fields, bool endStream)
    {
        if (Role != Http2Role.Client) throw new InvalidOperationException("only a client opens streams");
        if (!CanOpenStream) throw new InvalidOperationException("no new stream may be opened now (GOAWAY, failed, or the peer's stream limit)");
        if (!PeerSettings.EnableConnectProtocol && Http2HeaderFields.Get(fields, ":protocol") is not null)
            throw new InvalidOperationException("extended CONNECT needs the peer's SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 3): use an HTTP/1.1 Upgrade instead");
        var id = _nextLocalStreamId;
        _nextLocalStreamId = id + 2 > 0 ? id + 2 : -1;
        var stream = new Http2Stream(id, true, PeerSettings.InitialWindowSize, _localAcknowledged.InitialWindowSize)
        {
            IsHeadRequest = Http2HeaderFields.Get(fields, ":method") == "HEAD",
        };
        _streams[id] = stream;
        _localActive++;
        WriteHeaderBlock(stream, fields, endStream);
        return id;
    }

    /// <summary>Server role: a response (or an informational 1xx before it) on a client's stream.</summary>
    public void SubmitResponse(int streamId, IReadOnlyList<HeaderField> fields, bool endStream)
    {
        if (Role != Http2Role.Server) throw new InvalidOperationException("only a server responds");
        var stream = WritableStream(streamId);
        if (stream is null) return;
        WriteHeaderBlock(stream, fields, endStream);
    }

    /// <summary>Sends trailers after the data submitted so far; they end our side of the stream.</summary>
    public void SubmitTrailers(int streamId, IReadOnlyList<HeaderField> fields)
    {
        var stream = WritableStream(streamId);
        if (stream is null) return;
        stream.TrailersQueued = fields;
        stream.EndStreamQueued = true;
        QueueForSending(stream);
        Flush(null);
    }

    /// <summary>Queues body bytes (copied) and sends as much as the peer's windows allow now; the rest goes out as they open.</summary>
    /// <returns>The bytes of this stream still buffered after sending what the windows allowed.</returns>
    public long SendData(int streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        var stream = WritableStream(streamId);
        if (stream is null) return 0;
        if (stream.SendQueue.Count == 0)
        {
            // Nothing waits ahead of these bytes: frame what the windows allow straight from the caller's span and
            // copy only the rest.
            data = WriteDataFrames(stream, data, endStream);
            if (stream.LocalClosed) return 0;
        }
        if (data.Length > 0)
        {
            stream.SendQueue.Enqueue(data.ToArray());
            stream.Buffered += data.Length;
        }
        stream.EndStreamQueued |= endStream;
        QueueForSending(stream);
        Flush(null);
        return stream.Buffered;
    }

    /// <summary>Resets a stream (RST_STREAM), dropping what was queued for it. A stream already closed is left alone.</summary>
    public void ResetStream(int streamId, Http2ErrorCode errorCode = Http2ErrorCode.Cancel)
    {
        if (IsFailed || !_streams.TryGetValue(streamId, out var stream)) return;
        Http2FrameWriter.WriteRstStream(_output, streamId, errorCode);
        Forget(stream, remember: true);
    }

    /// <summary>
    /// The receiver passed on <paramref name="count"/> octets of this stream's DATA: once half a window has been
    /// consumed, WINDOW_UPDATEs for the stream and the connection reopen them.
    /// </summary>
    public void ConsumeData(int streamId, int count)
    {
        if (count <= 0 || IsFailed) return;
        if (_streams.TryGetValue(streamId, out var stream))
        {
            count = (int)Math.Min(count, stream.Unconsumed);
            stream.Unconsumed -= count;
            if (!stream.RemoteClosed)
            {
                stream.ConsumedUnacknowledged += count;
                if (stream.ConsumedUnacknowledged >= _localAcknowledged.InitialWindowSize / 2)
                {
                    Http2FrameWriter.WriteWindowUpdate(_output, streamId, (int)stream.ConsumedUnacknowledged);
                    stream.ReceiveWindow += stream.ConsumedUnacknowledged;
                    stream.ConsumedUnacknowledged = 0;
                }
            }
        }
        else if (_closedUnconsumed.TryGetValue(streamId, out var held))
        {
            count = (int)Math.Min(count, held);
            if (held - count == 0) _closedUnconsumed.Remove(streamId);
            else _closedUnconsumed[streamId] = held - count;
        }
        else
        {
            return;
        }
        ReleaseConnectionWindow(count);
    }

    /// <summary>Starts a graceful (NO_ERROR) or an error shutdown: GOAWAY naming the last stream we processed.</summary>
    public void GoAway(Http2ErrorCode errorCode = Http2ErrorCode.NoError, string debugData = "")
    {
        if (IsFailed) return;
        WriteGoAway(errorCode, debugData);
        if (errorCode != Http2ErrorCode.NoError) IsFailed = true;
    }

    public void Ping(ulong payload)
    {
        if (!IsFailed) Http2FrameWriter.WritePing(_output, payload, ack: false);
    }

    private bool IsPeerInitiated(int streamId) => (streamId % 2 == 1) == (Role == Http2Role.Server);

    private Http2Stream? WritableStream(int streamId)
    {
        if (IsFailed) return null;
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            // Reset by the peer (reported) or never opened: a programming error only in the second case.
            if (GetStreamState(streamId) == Http2StreamState.Idle) throw new InvalidOperationException($"stream {streamId} was never opened");
            return null;
        }
        if (stream.EndStreamQueued || stream.LocalClosed) throw new InvalidOperationException($"stream {streamId}: our side already ended");
        return stream;
    }

    /// <summary>Writes DATA frames from <paramref name="data"/> while the windows allow; END_STREAM on the last one
    /// when <paramref name="endStream"/> and all of it fitted (and no trailers wait).</summary>
    /// <returns>What did not fit.</returns>
    private ReadOnlySpan<byte> WriteDataFrames(Http2Stream stream, ReadOnlySpan<byte> data, bool endStream)
    {
        while (data.Length > 0 && _connectionSendWindow > 0 && stream.SendWindow > 0)
        {
            var size = (int)Math.Min(Math.Min(data.Length, PeerSettings.MaxFrameSize), Math.Min(_connectionSendWindow, stream.SendWindow));
            var end = size == data.Length && endStream && stream.TrailersQueued is null;
            Http2FrameWriter.WriteData(_output, stream.Id, data[..size], end);
            stream.SendWindow -= size;
            _connectionSendWindow -= size;
            data = data[size..];
            if (end) CloseLocal(stream);
        }
        return data;
    }

    private void WriteHeaderBlock(Http2Stream stream, IReadOnlyList<HeaderField> fields, bool endStream)
    {
        var block = _encoder.Encode(fields);
        Http2FrameWriter.WriteHeaders(_output, stream.Id, block, endStream, PeerSettings.MaxFrameSize);
        if (endStream) CloseLocal(stream);
    }

    private void QueueForSending(Http2Stream stream)
    {
        if (!_sending.Contains(stream)) _sending.Add(stream);
    }

    /// <summary>Sends queued data as far as the windows allow, round the streams in order.</summary>
    private void Flush(List<Http2Event>? events)
    {
        if (_sending.Count == 0) return;
        // A snapshot: a stream that ends while sending leaves _sending (Forget) during the loop.
        foreach (var stream in _sending.ToArray())
        {
            var hadBuffered = stream.Buffered > 0;
            while (stream.SendQueue.Count > 0 && _connectionSendWindow > 0 && stream.SendWindow > 0)
            {
                var chunk = stream.SendQueue.Peek();
                var pending = chunk.AsSpan(stream.SendOffset);
                var rest = WriteDataFrames(stream, pending, endStream: stream.SendQueue.Count == 1 && stream.EndStreamQueued);
                stream.Buffered -= pending.Length - rest.Length;
                stream.SendOffset += pending.Length - rest.Length;
                if (stream.LocalClosed) break;
                if (rest.Length > 0) continue;
                stream.SendQueue.Dequeue();
                stream.SendOffset = 0;
            }
            if (!stream.LocalClosed)
            {
                if (stream.SendQueue.Count > 0) continue;
                if (stream.EndStreamQueued)
                {
                    if (stream.TrailersQueued is { } trailers)
                    {
                        WriteHeaderBlock(stream, trailers, endStream: true);
                    }
                    else
                    {
                        Http2FrameWriter.WriteData(_output, stream.Id, [], endStream: true);
                        CloseLocal(stream);
                    }
                }
            }
            _sending.Remove(stream);
            if (hadBuffered && events is not null) events.Add(new Http2SendBufferDrained(stream.Id));
        }
    }

    private void Handle(Http2Frame frame, List<Http2Event> events)
    {
        if (!_settingsReceived)
        {
            if (frame is not Http2SettingsFrame { Ack: false }) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"first frame is {frame.GetType().Name}, not SETTINGS");
            _settingsReceived = true;
        }
        if (_continuationStreamId != 0 && frame is not Http2ContinuationFrame)
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"{frame.GetType().Name} inside the header block of stream {_continuationStreamId}");
        switch (frame)
        {
            case Http2DataFrame data:
                HandleData(data, events);
                break;
            case Http2HeadersFrame headers:
                _headerBlock.SetLength(0);
                _continuationEndStream = headers.EndStream;
                AppendHeaderFragment(headers.Fragment.Span);
                if (headers.EndHeaders) CompleteHeaderBlock(headers.StreamId, events);
                else _continuationStreamId = headers.StreamId;
                break;
            case Http2ContinuationFrame continuation:
                if (continuation.StreamId != _continuationStreamId)
                    throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"CONTINUATION on stream {continuation.StreamId} without a header block in progress there");
                AppendHeaderFragment(continuation.Fragment.Span);
                if (continuation.EndHeaders)
                {
                    _continuationStreamId = 0;
                    CompleteHeaderBlock(continuation.StreamId, events);
                }
                break;
            case Http2PriorityFrame:
                break;
            case Http2RstStreamFrame rst:
                if (GetStreamState(rst.StreamId) == Http2StreamState.Idle) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"RST_STREAM on idle stream {rst.StreamId}");
                if (_streams.TryGetValue(rst.StreamId, out var reset))
                {
                    Forget(reset, remember: false);
                    events.Add(new Http2StreamReset(rst.StreamId, rst.ErrorCode, Http2ResetOrigin.Peer));
                }
                break;
            case Http2SettingsFrame settings:
                HandleSettings(settings, events);
                break;
            case Http2PushPromiseFrame:
                throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE although push is disabled");
            case Http2PingFrame ping:
                if (ping.Ack) events.Add(new Http2PingAcknowledged(ping.Payload));
                else Http2FrameWriter.WritePing(_output, ping.Payload, ack: true);
                break;
            case Http2GoAwayFrame goAway:
                HandleGoAway(goAway, events);
                break;
            case Http2WindowUpdateFrame update:
                HandleWindowUpdate(update, events);
                break;
        }
    }

    private void AppendHeaderFragment(ReadOnlySpan<byte> fragment)
    {
        if (_headerBlock.Length + fragment.Length > _options.MaxHeaderBlockSize)
            throw new Http2ProtocolException(Http2ErrorCode.EnhanceYourCalm, $"header block larger than {_options.MaxHeaderBlockSize} octets");
        _headerBlock.Write(fragment);
    }

    private void HandleData(Http2DataFrame frame, List<Http2Event> events)
    {
        var length = frame.FlowControlledLength;
        if (length > _connectionReceiveWindow)
            throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"DATA of {length} octets exceeds the connection window {_connectionReceiveWindow}");
        _connectionReceiveWindow -= length;
        if (!_streams.TryGetValue(frame.StreamId, out var stream) || stream.RemoteClosed)
        {
            if (GetStreamState(frame.StreamId) == Http2StreamState.Idle) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"DATA on idle stream {frame.StreamId}");
            // Nobody will consume these octets: return them to the connection window at once.
            ReleaseConnectionWindow(length);
            if (_reset.Contains(frame.StreamId) || IgnoredAfterGoAway(frame.StreamId)) return;
            throw new Http2ProtocolException(Http2ErrorCode.StreamClosed, $"DATA on closed stream {frame.StreamId}", frame.StreamId);
        }
        if (length > stream.ReceiveWindow)
        {
            ReleaseConnectionWindow(length);
            throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"DATA of {length} octets exceeds stream {stream.Id}'s window {stream.ReceiveWindow}", stream.Id);
        }
        stream.ReceiveWindow -= length;
        if (!stream.HeadReceived)
        {
            ReleaseConnectionWindow(length);
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"DATA before the final response on stream {stream.Id}", stream.Id);
        }
        stream.ReceivedLength += frame.Data.Length;
        if (stream.ExpectedLength is long expected && (stream.ReceivedLength > expected || frame.EndStream && stream.ReceivedLength != expected))
        {
            ReleaseConnectionWindow(length);
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"content-length {expected} but {stream.ReceivedLength} octets of DATA on stream {stream.Id}", stream.Id);
        }
        // Padding is never handed to the receiver: it is consumed here.
        stream.Unconsumed += frame.Data.Length;
        var padding = length - frame.Data.Length;
        if (padding > 0)
        {
            ReleaseConnectionWindow(padding);
            stream.ConsumedUnacknowledged += padding;
        }
        events.Add(new Http2DataReceived(stream.Id, frame.Data, frame.EndStream));
        if (frame.EndStream) CloseRemote(stream);
    }

    private void CompleteHeaderBlock(int streamId, List<Http2Event> events)
    {
        // Decoded before anything else: the dynamic table must follow every block, also of refused streams.
        var fitsLimit = _decoder.TryDecode(_headerBlock.GetBuffer().AsSpan(0, (int)_headerBlock.Length), _options.MaxHeaderListSize, out var fields);
        var endStream = _continuationEndStream;
        if (_streams.TryGetValue(streamId, out var stream))
        {
            if (stream.RemoteClosed) throw new Http2ProtocolException(Http2ErrorCode.StreamClosed, $"HEADERS on half-closed stream {streamId}", streamId);
            if (!fitsLimit) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"header list beyond SETTINGS_MAX_HEADER_LIST_SIZE {_options.MaxHeaderListSize}", streamId);
            if (stream.HeadReceived)
            {
                if (!endStream) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"trailers without END_STREAM on stream {streamId}", streamId);
                if (Http2FieldValidator.CheckTrailers(fields) is { } trailerError) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "malformed trailers: " + trailerError, streamId);
                if (stream.ExpectedLength is long expected && stream.ReceivedLength != expected)
                    throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"content-length {expected} but {stream.ReceivedLength} octets of DATA on stream {streamId}", streamId);
                events.Add(new Http2TrailersReceived(streamId, fields));
                CloseRemote(stream);
                return;
            }
            // Client role: the response to our request.
            if (Http2FieldValidator.CheckResponse(fields) is { } responseError) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "malformed response: " + responseError, streamId);
            var response = new Http2ResponseReceived(streamId, fields, endStream);
            if (response.IsInformational)
            {
                if (endStream) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"informational response with END_STREAM on stream {streamId}", streamId);
                events.Add(response);
                return;
            }
            stream.HeadReceived = true;
            SetExpectedLength(stream, fields, endStream, skip: stream.IsHeadRequest || response.StatusCode == 304);
            events.Add(response);
            if (endStream) CloseRemote(stream);
            return;
        }
        if (!IsPeerInitiated(streamId))
        {
            if (GetStreamState(streamId) == Http2StreamState.Idle) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"HEADERS on stream {streamId}, which the peer may not open");
            if (_reset.Contains(streamId)) return;
            throw new Http2ProtocolException(Http2ErrorCode.StreamClosed, $"HEADERS on closed stream {streamId}");
        }
        if (streamId <= _lastPeerStreamId)
        {
            if (_reset.Contains(streamId) || IgnoredAfterGoAway(streamId)) return;
            // A stream that ended, or one skipped over: either way not a new stream (RFC 9113 5.1.1).
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"HEADERS on stream {streamId}, not above the last stream {_lastPeerStreamId}");
        }
        // A new stream from the peer: in HTTP/2 only a client opens streams (push is disabled).
        if (Role == Http2Role.Client) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"the server opened stream {streamId}");
        _lastPeerStreamId = streamId;
        if (GoAwaySent)
        {
            // Beyond our GOAWAY's last stream: ignored; the client retries it elsewhere (RFC 9113 6.8).
            return;
        }
        if (_peerActive >= LocalSettings.MaxConcurrentStreams)
            throw new Http2ProtocolException(Http2ErrorCode.RefusedStream, $"stream {streamId} beyond SETTINGS_MAX_CONCURRENT_STREAMS {LocalSettings.MaxConcurrentStreams}", streamId);
        if (!fitsLimit) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"header list beyond SETTINGS_MAX_HEADER_LIST_SIZE {_options.MaxHeaderListSize}", streamId);
        if (Http2FieldValidator.CheckRequest(fields, LocalSettings.EnableConnectProtocol) is { } requestError)
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "malformed request: " + requestError, streamId);
        var opened = new Http2Stream(streamId, false, PeerSettings.InitialWindowSize, _localAcknowledged.InitialWindowSize) { HeadReceived = true };
        SetExpectedLength(opened, fields, endStream, skip: false);
        _streams[streamId] = opened;
        _peerActive++;
        events.Add(new Http2RequestReceived(streamId, fields, endStream));
        if (endStream) CloseRemote(opened);
    }

    private static void SetExpectedLength(Http2Stream stream, IReadOnlyList<HeaderField> fields, bool endStream, bool skip)
    {
        if (skip) return;
        var length = Http2FieldValidator.ContentLength(fields);
        if (length == -1) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"invalid content-length on stream {stream.Id}", stream.Id);
        if (length is > 0 && endStream) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"content-length {length} but no DATA on stream {stream.Id}", stream.Id);
        stream.ExpectedLength = length;
    }

    private void HandleSettings(Http2SettingsFrame frame, List<Http2Event> events)
    {
        if (frame.Ack)
        {
            if (_unacknowledged.Count == 0) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "SETTINGS ACK without SETTINGS sent");
            var acknowledged = _unacknowledged.Dequeue();
            var delta = (long)acknowledged.InitialWindowSize - _localAcknowledged.InitialWindowSize;
            if (delta != 0)
            {
                foreach (var s in _streams.Values) s.ReceiveWindow += delta;
            }
            _localAcknowledged = acknowledged;
            events.Add(new Http2SettingsAcknowledged());
            return;
        }
        var previousWindow = PeerSettings.InitialWindowSize;
        foreach (var setting in frame.Settings)
        {
            if (Role == Http2Role.Client && setting is { Id: Http2SettingId.EnablePush, Value: not 0 })
                throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "a server sent SETTINGS_ENABLE_PUSH 1");
            PeerSettings.Apply(setting);
        }
        if (PeerSettings.InitialWindowSize != previousWindow)
        {
            // 6.9.2: every stream's send window moves by the difference, and may go negative.
            var delta = (long)PeerSettings.InitialWindowSize - previousWindow;
            foreach (var s in _streams.Values)
            {
                s.SendWindow += delta;
                if (s.SendWindow > Http2Settings.MaxWindowSize) throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"stream {s.Id}'s window beyond 2^31-1");
            }
        }
        _encoder.SetPeerMaxTableSize(PeerSettings.HeaderTableSize);
        Http2FrameWriter.WriteSettingsAck(_output);
        events.Add(new Http2PeerSettingsReceived(PeerSettings.Clone()));
        Flush(events);
    }

    private void HandleGoAway(Http2GoAwayFrame frame, List<Http2Event> events)
    {
        PeerGoAwayLastStreamId = PeerGoAwayLastStreamId is int previous ? Math.Min(previous, frame.LastStreamId) : frame.LastStreamId;
        events.Add(new Http2GoAwayReceived(frame.LastStreamId, frame.ErrorCode, Encoding.UTF8.GetString(frame.DebugData.Span)));
        // Our streams above the last one were never processed: they end here, and may be retried on a new connection.
        foreach (var stream in _streams.Values.Where(s => s.InitiatedLocally && s.Id > frame.LastStreamId).OrderBy(s => s.Id).ToList())
        {
            Forget(stream, remember: false);
            events.Add(new Http2StreamReset(stream.Id, Http2ErrorCode.RefusedStream, Http2ResetOrigin.GoAway));
        }
    }

    private void HandleWindowUpdate(Http2WindowUpdateFrame frame, List<Http2Event> events)
    {
        if (frame.StreamId == 0)
        {
            _connectionSendWindow += frame.Increment;
            if (_connectionSendWindow > Http2Settings.MaxWindowSize) throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, "connection window beyond 2^31-1");
        }
        else if (_streams.TryGetValue(frame.StreamId, out var stream))
        {
            stream.SendWindow += frame.Increment;
            if (stream.SendWindow > Http2Settings.MaxWindowSize) throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"stream {stream.Id}'s window beyond 2^31-1", stream.Id);
        }
        else if (GetStreamState(frame.StreamId) == Http2StreamState.Idle)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"WINDOW_UPDATE on idle stream {frame.StreamId}");
        }
        Flush(events);
    }

    private void ReleaseConnectionWindow(long count)
    {
        // After GOAWAY for an error nothing more is sent; the window no longer matters.
        if (IsFailed) return;
        _connectionConsumedUnacknowledged += count;
        if (_connectionConsumedUnacknowledged >= Math.Max(_options.ConnectionWindowSize, Http2Settings.DefaultInitialWindowSize) / 2)
        {
            Http2FrameWriter.WriteWindowUpdate(_output, 0, (int)_connectionConsumedUnacknowledged);
            _connectionReceiveWindow += _connectionConsumedUnacknowledged;
            _connectionConsumedUnacknowledged = 0;
        }
    }

    private void CloseLocal(Http2Stream stream)
    {
        stream.State = stream.State == Http2StreamState.HalfClosedRemote ? Http2StreamState.Closed : Http2StreamState.HalfClosedLocal;
        if (stream.State == Http2StreamState.Closed) Forget(stream, remember: false, keepUnconsumed: true);
    }

    private void CloseRemote(Http2Stream stream)
    {
        stream.State = stream.State == Http2StreamState.HalfClosedLocal ? Http2StreamState.Closed : Http2StreamState.HalfClosedRemote;
        if (stream.State == Http2StreamState.Closed) Forget(stream, remember: false, keepUnconsumed: true);
    }

    /// <summary>Drops a stream. Its unconsumed data is either held for later <see cref="ConsumeData"/> (a normal close)
    /// or returned to the connection window now (a reset: the receiver drops it).</summary>
    private void Forget(Http2Stream stream, bool remember, bool keepUnconsumed = false)
    {
        stream.State = Http2StreamState.Closed;
        if (_streams.Remove(stream.Id))
        {
            if (stream.InitiatedLocally) _localActive--;
            else _peerActive--;
        }
        _sending.Remove(stream);
        stream.SendQueue.Clear();
        stream.Buffered = 0;
        if (stream.Unconsumed > 0)
        {
            if (keepUnconsumed) _closedUnconsumed[stream.Id] = stream.Unconsumed;
            else ReleaseConnectionWindow(stream.Unconsumed);
        }
        if (remember) RememberReset(stream.Id);
    }

    private void RememberReset(int streamId)
    {
        if (!_reset.Add(streamId)) return;
        _resetOrder.Enqueue(streamId);
        while (_resetOrder.Count > _options.ResetStreamMemory) _reset.Remove(_resetOrder.Dequeue());
    }

    private void ResetLocally(int streamId, Http2ErrorCode errorCode, List<Http2Event> events)
    {
        Http2FrameWriter.WriteRstStream(_output, streamId, errorCode);
        if (_streams.TryGetValue(streamId, out var stream))
        {
            Forget(stream, remember: true);
            events.Add(new Http2StreamReset(streamId, errorCode, Http2ResetOrigin.Local));
        }
        else
        {
            RememberReset(streamId);
        }
    }

    private void Fail(Http2ErrorCode errorCode, string message, List<Http2Event> events)
    {
        WriteGoAway(errorCode, message);
        IsFailed = true;
        events.Add(new Http2ConnectionError(errorCode, message));
        AbandonAll(events);
    }

    /// <summary>A stream the peer opened after our GOAWAY: its frames are dropped without an answer (RFC 9113 6.8).</summary>
    private bool IgnoredAfterGoAway(int streamId) => _goAwayLastStreamId is int last && streamId > last && IsPeerInitiated(streamId);

    private void WriteGoAway(Http2ErrorCode errorCode, string debugData)
    {
        _goAwayLastStreamId ??= _lastPeerStreamId;
        Http2FrameWriter.WriteGoAway(_output, _goAwayLastStreamId.Value, errorCode, Encoding.UTF8.GetBytes(debugData));
        GoAwaySent = true;
    }

    private void AbandonAll(List<Http2Event> events)
    {
        foreach (var stream in _streams.Values.OrderBy(s => s.Id).ToList())
        {
            Forget(stream, remember: false);
            events.Add(new Http2StreamReset(stream.Id, Http2ErrorCode.Cancel, Http2ResetOrigin.ConnectionLost));
        }
    }
}
