using System.Collections.Concurrent;
using Harness.Proxy.Capture;

namespace Harness.Proxy.Addons;

/// <summary>
/// Puts every final flow in the <see cref="FlowStore"/> (on disk first), then raises <see cref="InterceptingProxy.FlowCompleted"/>.
/// The connection only waits for room in the store's queue, not for the disk, so serialising a big body never delays
/// the next request on that connection; the rest (disk, then the event) is tracked so the proxy can wait for it on stop.
/// </summary>
internal sealed class FlowRecordingAddon(InterceptingProxy proxy, FlowStore? store) : ProxyAddon
{
    private readonly ConcurrentDictionary<long, Task> _recording = new();
    private long _nextRecord;

    public override async ValueTask FlowCompleteAsync(ProxySession session)
    {
        var flow = session.Flow;
        if (store is null)
        {
            await proxy.RaiseFlowCompletedAsync(session).ConfigureAwait(false);
            return;
        }
        Task stored;
        try
        {
            stored = await store.EnqueueAsync(flow).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The store was closed under a running proxy: the flow cannot be kept, but its listeners still hear of it.
            flow.Tags["storeError"] = "flow store closed";
            await proxy.RaiseFlowCompletedAsync(session).ConfigureAwait(false);
            return;
        }
        var id = Interlocked.Increment(ref _nextRecord);
        var announcing = AnnounceWhenStoredAsync(id, session, stored);
        _recording[id] = announcing;
        // It may have finished (and tried to remove itself) before it was added.
        if (announcing.IsCompleted) _recording.TryRemove(id, out _);
    }

    /// <summary>Completes when every flow recorded so far is stored and announced.</summary>
    public Task DrainAsync() => Task.WhenAll(_recording.Values.ToArray());

    private async Task AnnounceWhenStoredAsync(long id, ProxySession session, Task stored)
    {
        try
        {
            try { await stored.ConfigureAwait(false); }
            catch (Exception e)
            {
                session.Flow.Tags["storeError"] = e.GetType().Name + ": " + e.Message;
            }
            await proxy.RaiseFlowCompletedAsync(session).ConfigureAwait(false);
        }
        finally
        {
            _recording.TryRemove(id, out _);
        }
    }
}
