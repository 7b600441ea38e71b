using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Harness.Flows;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// An HTTP/2 connection to an origin that chose h2 in ALPN (client role), shared by the streams of one client
/// connection: its read loop feeds the I/O-free <see cref="Http2Connection"/> and hands each stream's events to that
/// stream's channel; submissions go through one lock and one ordered writer, like <see cref="Http2ClientSession"/>.
/// </summary>
internal sealed class Http2UpstreamSession : IAsyncDisposable
{
    /// <summary>Submitted but unsent bytes per stream above which the sender waits for the origin's window.</summary>
    public const long MaxBufferedPerStream = 256 * 1024;

    private readonly UpstreamTransport _transport;
    private readonly Http2Wire _wire;
    private readonly Lock _sync = new();
    private readonly Dictionary<int, Channel<Http2Event>> _streams = [];
    private readonly Dictionary<int, TaskCompletionSource> _drainWaiters = [];
    private readonly CancellationTokenSource _closing = new();
    private Task? _reader;

    public Http2UpstreamSession(UpstreamTransport transport)
    {
        _transport = transport;
        _wire = new Http2Wire(new Http2Connection(Http2Role.Client), transport.Stream, e => new UpstreamException("upstream HTTP/2 connection failed while sending", e));
    }

    private readonly TaskCompletionSource _peerSettings = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the origin accepts RFC 8441 extended CONNECT (WebSockets over h2): waits for its first SETTINGS.</summary>
    public async Task<bool> AcceptsExtendedConnectAsync(TimeSpan wait, CancellationToken ct)
    {
        try { await _peerSettings.Task.WaitAsync(wait, ct).ConfigureAwait(false); }
        catch (TimeoutException) { return false; }
        return _wire.Read(h => h.PeerSettings.EnableConnectProtocol);
    }

    public bool IsUsable
    {
        get { return !_closing.IsCancellationRequested && _wire.Read(h => h.CanOpenStream); }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await SubmitAsync(static _ => { }, ct).ConfigureAwait(false);
        _reader = ReadLoopAsync();
    }

    /// <summary>Open a stream with a request header block; its events arrive on the returned channel.</summary>
    public async Task<(int StreamId, ChannelReader<Http2Event> Events)> OpenAsync(IReadOnlyList<HeaderField> fields, bool endStream, CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<Http2Event>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var id = 0;
        await SubmitAsync(h =>
        {
            if (!h.CanOpenStream) throw new UpstreamException("the origin's HTTP/2 connection takes no new streams (GOAWAY or its stream limit)");
            id = h.SubmitRequest(fields, endStream);
            lock (_sync) _streams[id] = channel;
        }, ct).ConfigureAwait(false);
        return (id, channel.Reader);
    }

    /// <summary>Send body bytes; waits while the origin's windows hold too much of this stream back.</summary>
    public async Task SendDataAsync(int streamId, ReadOnlyMemory<byte> data, bool endStream, CancellationToken ct)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long buffered = 0;
        await SubmitAsync(h =>
        {
            buffered = h.SendData(streamId, data.Span, endStream);
            // Registered only when there is something to wait for, and under the connection's lock, so the drain that
            // the read loop feeds cannot come between: a waiter per body chunk would otherwise stay for the life of the
            // connection whenever the window took the bytes at once (no drain event ever names that stream).
            if (buffered > MaxBufferedPerStream) lock (_sync) _drainWaiters[streamId] = drained;
        }, ct).ConfigureAwait(false);
        if (buffered > MaxBufferedPerStream) await drained.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    public Task SubmitAsync(Action<Http2Connection> change, CancellationToken ct) => _wire.SubmitAsync(change, ct);

    /// <summary>Senders waiting for a stream's buffered bytes to drain (0 when nobody waits).</summary>
    internal int DrainWaiterCount
    {
        get { lock (_sync) return _drainWaiters.Count; }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var events = new List<Http2Event>();
        try
        {
            while (true)
            {
                var n = await _transport.Stream.ReadAsync(buffer, _closing.Token).ConfigureAwait(false);
                events.Clear();
                if (n == 0) _wire.FeedEof(events);
                else _wire.Feed(buffer.AsSpan(0, n), events);
                Dispatch(events);
                if (n == 0) break;
                await SubmitAsync(static _ => { }, _closing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException or UpstreamException)
        {
            events.Clear();
            _wire.FeedEof(events);
            Dispatch(events);
        }
        finally
        {
            await _closing.CancelAsync().ConfigureAwait(false);
            lock (_sync)
            {
                foreach (var channel in _streams.Values) channel.Writer.TryComplete(new UpstreamException("upstream HTTP/2 connection closed"));
                _streams.Clear();
                foreach (var waiter in _drainWaiters.Values) waiter.TrySetResult();
                _peerSettings.TrySetResult();
                _drainWaiters.Clear();
            }
        }
    }

    private void Dispatch(List<Http2Event> events)
    {
        foreach (var ev in events)
        {
            if (ev is Http2PeerSettingsReceived) _peerSettings.TrySetResult();
            Channel<Http2Event>? channel;
            lock (_sync)
            {
                if (ev is Http2SendBufferDrained or Http2StreamReset && _drainWaiters.Remove(ev.StreamId, out var waiter)) waiter.TrySetResult();
                if (ev is Http2SendBufferDrained) continue;
                channel = _streams.GetValueOrDefault(ev.StreamId);
            }
            if (channel is null) continue;
            // Body bytes may point into the connection's read buffer: the stream reads them later, on another task.
            var owned = ev is Http2DataReceived data ? data with { Data = data.Data.ToArray() } : ev;
            channel.Writer.TryWrite(owned);
            if (ev is Http2StreamReset || (ev is Http2DataReceived { EndStream: true }) || ev is Http2TrailersReceived || ev is Http2ResponseReceived { EndStream: true, IsInformational: false })
            {
                lock (_sync) _streams.Remove(ev.StreamId);
                channel.Writer.TryComplete();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        try { await _transport.Stream.DisposeAsync().ConfigureAwait(false); }
        catch (IOException) { }
        _transport.Socket.Dispose();
        if (_reader is not null) await _reader.ConfigureAwait(false);
        _wire.Dispose();
    }
}
