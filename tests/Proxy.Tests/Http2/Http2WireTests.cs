using Harness.Proxy.Http2;
using Harness.Proxy.Http2Proxy;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// <see cref="Http2Wire"/> group-commits: frames submitted while a write is on the wire leave together in the next
/// write, in the order they were produced, and a submitter returns only once a write carrying its frames has finished.
/// </summary>
public sealed class Http2WireTests
{
    [Test]
    public async Task Frames_submitted_during_a_write_leave_together_in_order_in_the_next_write()
    {
        var server = new Http2Connection(Http2Role.Server);
        var client = new Http2Connection(Http2Role.Client);
        var events = new List<Http2Event>();
        // Open three streams from a client, so the server has three responses to send.
        var ids = Enumerable.Range(0, 3).Select(_ => client.SubmitRequest(Fields(":method=GET", ":scheme=https", ":authority=a.test", ":path=/"), endStream: true)).ToArray();
        server.Feed(client.TakeOutput(), events);
        var wireStream = new GatedStream();
        using var wire = new Http2Wire(server, wireStream);

        // The first submit's write blocks on the wire; three more arrive meanwhile.
        var first = wire.SubmitAsync(h => h.SubmitResponse(ids[0], Fields(":status=200"), endStream: false), CancellationToken.None);
        await wireStream.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = new[]
        {
            wire.SubmitAsync(h => h.SendData(ids[0], "first body"u8, endStream: true), CancellationToken.None),
            wire.SubmitAsync(h => h.SubmitResponse(ids[1], Fields(":status=204"), endStream: true), CancellationToken.None),
            wire.SubmitAsync(h => h.SubmitResponse(ids[2], Fields(":status=404"), endStream: true), CancellationToken.None),
        };
        Assert.That(rest.Any(t => t.IsCompleted), Is.False, "a submitter returned while the write before its frames was still on the wire");
        wireStream.Release.SetResult();
        await Task.WhenAll([first, .. rest]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(wireStream.Writes, Has.Count.EqualTo(2), "the three frames submitted during the first write should go out as one write");
        Assert.That(wireStream.Flushes, Is.EqualTo(2));
        events.Clear();
        foreach (var write in wireStream.Writes) client.Feed(write, events);
        var order = events.Select(e => e switch
        {
            Http2ResponseReceived r => $"{r.StreamId}:{r.StatusCode}",
            Http2DataReceived d => $"{d.StreamId}:data:{System.Text.Encoding.ASCII.GetString(d.Data.Span)}",
            _ => null,
        }).OfType<string>().ToList();
        Assert.That(order, Is.EqualTo(new[] { $"{ids[0]}:200", $"{ids[0]}:data:first body", $"{ids[1]}:204", $"{ids[2]}:404" }));
    }

    /// <summary>A stream whose first write waits until released; every write is kept (copied: the wire reuses its buffer).</summary>
    private sealed class GatedStream : Stream
    {
        public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<byte[]> Writes { get; } = [];
        public int Flushes { get; private set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            if (Writes.Count == 1)
            {
                FirstWriteStarted.SetResult();
                await Release.Task.ConfigureAwait(false);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => Flushes++;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
