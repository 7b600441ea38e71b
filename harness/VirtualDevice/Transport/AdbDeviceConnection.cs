using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Harness.VirtualDevice.Transport;

/// <summary>
/// I/O around <see cref="AdbDeviceProtocol"/> for one TCP link from an adb server: reads messages, answers OPENs
/// by starting services, and lets in-phone code open streams towards the host (reverse forwarding).
/// </summary>
public sealed class AdbDeviceConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly AdbDeviceProtocol _protocol;
    private readonly Func<string, AdbServiceStream, CancellationToken, Task>? _resolveService;
    private readonly Func<string, bool> _hasService;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<uint, AdbServiceStream> _streams = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<bool>> _pendingOpens = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="hasService">Whether a service string is known; unknown ones are refused with CLSE.</param>
    /// <param name="runService">Runs an accepted service on its stream; the stream is closed when it returns.</param>
    public AdbDeviceConnection(Socket socket, string banner, Func<string, bool> hasService, Func<string, AdbServiceStream, CancellationToken, Task> runService)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _protocol = new AdbDeviceProtocol(banner);
        _hasService = hasService;
        _resolveService = runService;
    }

    public Task Online => _online.Task;
    public bool IsClosed => _stop.IsCancellationRequested;

    public async Task RunAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var decoder = new AdbMessageDecoder();
        var buffer = new byte[256 * 1024];
        try
        {
            while (!linked.IsCancellationRequested)
            {
                var n = await _network.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
                if (n == 0) break;
                decoder.Feed(buffer.AsSpan(0, n));
                while (decoder.TryRead(out var message))
                {
                    IReadOnlyList<AdbTransportEvent> events;
                    await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
                    try
                    {
                        events = _protocol.Receive(message);
                        await FlushLockedAsync(linked.Token).ConfigureAwait(false);
                    }
                    finally { _gate.Release(); }
                    foreach (var e in events) await DispatchAsync(e, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        catch (AdbProtocolException) { }
        finally
        {
            Shutdown();
        }
    }

    private async Task DispatchAsync(AdbTransportEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case HostConnected:
                _online.TrySetResult();
                break;
            case StreamOpenRequested open:
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (!_hasService(open.Service)) _protocol.Refuse(open.LocalId);
                    else
                    {
                        _protocol.Accept(open.LocalId);
                        var stream = new AdbServiceStream(this, open.LocalId);
                        _streams[open.LocalId] = stream;
                        _ = RunServiceAsync(open.Service, stream);
                    }
                    await FlushLockedAsync(ct).ConfigureAwait(false);
                }
                finally { _gate.Release(); }
                break;
            case StreamDataReceived data:
                if (_streams.TryGetValue(data.LocalId, out var target)) target.OnData(data.Data);
                break;
            case StreamAcknowledged ack:
                if (_streams.TryGetValue(ack.LocalId, out var acked)) acked.OnAcknowledged();
                break;
            case StreamClosedByHost closed:
                if (_streams.TryRemove(closed.LocalId, out var gone)) gone.OnClosedByHost();
                break;
            case StreamAcceptedByHost accepted:
                if (_pendingOpens.TryRemove(accepted.LocalId, out var tcs)) tcs.TrySetResult(true);
                break;
            case StreamRefusedByHost refused:
                if (_pendingOpens.TryRemove(refused.LocalId, out var rtcs)) rtcs.TrySetResult(false);
                _streams.TryRemove(refused.LocalId, out _);
                break;
        }
    }

    private async Task RunServiceAsync(string service, AdbServiceStream stream)
    {
        try
        {
            await Task.Yield();
            await _resolveService!(service, stream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_stop.IsCancellationRequested || stream.ClosedByHost) { }
        catch (IOException) { }
        finally
        {
            try { await stream.CloseStreamAsync().ConfigureAwait(false); } catch (Exception) { }
            _streams.TryRemove(stream.LocalId, out _);
        }
    }

    /// <summary>Opens a device-initiated stream (e.g. "tcp:9999" for a reverse forward). Null when the host refuses.</summary>
    public Task<AdbServiceStream?> OpenToHostAsync(string service, CancellationToken ct) => OpenToHostAsync(() => service, ct);

    /// <summary>
    /// Opens a stream towards the host for the service <paramref name="resolveService"/> names at the moment the OPEN
    /// is queued (null: nothing to open). Resolving under the write gate keeps a reverse removed meanwhile from being used.
    /// </summary>
    public async Task<AdbServiceStream?> OpenToHostAsync(Func<string?> resolveService, CancellationToken ct)
    {
        var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        AdbServiceStream stream;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (IsClosed || !_protocol.IsOnline) return null;
            if (resolveService() is not { } service) return null;
            var localId = _protocol.OpenToHost(service);
            stream = new AdbServiceStream(this, localId);
            _streams[localId] = stream;
            _pendingOpens[localId] = tcs;
            await FlushLockedAsync(ct).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
        using (ct.Register(() => tcs.TrySetCanceled(ct)))
        using (_stop.Token.Register(() => tcs.TrySetResult(false)))
        {
            return await tcs.Task.ConfigureAwait(false) ? stream : null;
        }
    }

    internal async Task WriteStreamAsync(uint localId, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_protocol.IsStreamOpen(localId)) throw new IOException("the adb stream is closed");
            _protocol.Write(localId, data.Span);
            await FlushLockedAsync(ct).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    internal async Task<long> PendingBytesAsync(uint localId, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try { return _protocol.PendingBytes(localId); }
        finally { _gate.Release(); }
    }

    internal async Task CloseStreamAsync(uint localId)
    {
        if (IsClosed) return;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _protocol.Close(localId);
            await FlushLockedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception) when (IsClosed) { }
        catch (IOException) { }
        finally { _gate.Release(); }
    }

    private async Task FlushLockedAsync(CancellationToken ct)
    {
        var outgoing = _protocol.DrainOutgoing();
        if (outgoing.Count == 0 || IsClosed) return;
        foreach (var message in outgoing) await _network.WriteAsync(AdbMessageCodec.Encode(message), ct).ConfigureAwait(false);
        await _network.FlushAsync(ct).ConfigureAwait(false);
    }

    private void Shutdown()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        _network.Dispose();
        foreach (var s in _streams.Values) s.OnClosedByHost();
        foreach (var p in _pendingOpens.Values) p.TrySetResult(false);
        _online.TrySetCanceled();
    }

    /// <summary>Drops the TCP link, as when the cable is pulled.</summary>
    public ValueTask DisposeAsync()
    {
        Shutdown();
        return ValueTask.CompletedTask;
    }
}
