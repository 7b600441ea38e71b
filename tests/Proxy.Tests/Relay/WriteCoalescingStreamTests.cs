namespace Harness.Proxy.Tests.Relay;

public sealed class WriteCoalescingStreamTests
{
    /// <summary>Counts the writes that reach it, as the socket would count send calls, and keeps the bytes.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _bytes = new();
        public List<int> Writes { get; } = [];
        public int Flushes { get; private set; }
        public byte[] ToArray() => _bytes.ToArray();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) { Writes.Add(buffer.Length); _bytes.Write(buffer); }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override void Flush() => Flushes++;
        public override Task FlushAsync(CancellationToken cancellationToken) { Flushes++; return Task.CompletedTask; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _bytes.Length;
        public override long Position { get => _bytes.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static byte[] Record(int size, byte fill) => Enumerable.Repeat(fill, size).ToArray();

    [Test]
    public async Task Off_PassesEveryWriteStraightThrough()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner);
        await stream.WriteAsync(Record(100, 1));
        await stream.WriteAsync(Record(200, 2));
        Assert.That(inner.Writes, Is.EqualTo(new[] { 100, 200 }));
    }

    [Test]
    public async Task On_FourTlsRecordsOfA64KiBResponse_LeaveInOneWriteAtFlush_InOrder()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner) { Coalescing = true };
        var expected = new List<byte>();
        for (byte i = 1; i <= 4; i++)
        {
            var record = Record(16 * 1024 + 22, i);
            expected.AddRange(record);
            await stream.WriteAsync(record);
        }
        Assert.That(inner.Writes, Is.Empty, "nothing is sent before the flush");
        await stream.FlushAsync();
        Assert.That(inner.Writes, Is.EqualTo(new[] { 4 * (16 * 1024 + 22) }), "one send for the whole response");
        Assert.That(inner.ToArray(), Is.EqualTo(expected.ToArray()));
        Assert.That(inner.Flushes, Is.EqualTo(1));
        Assert.That(stream.Buffered, Is.Zero);
    }

    [Test]
    public async Task On_AFullBuffer_IsSentBeforeTheWriteThatWouldOverflowIt()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner, capacity: 100) { Coalescing = true };
        await stream.WriteAsync(Record(60, 1));
        await stream.WriteAsync(Record(60, 2));
        Assert.That(inner.Writes, Is.EqualTo(new[] { 60 }));
        await stream.FlushAsync();
        Assert.That(inner.Writes, Is.EqualTo(new[] { 60, 60 }));
        Assert.That(inner.ToArray(), Is.EqualTo(Record(60, 1).Concat(Record(60, 2)).ToArray()));
    }

    [Test]
    public async Task On_SmallWrites_StayBufferedUntilFlush()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner, capacity: 1024) { Coalescing = true };
        await stream.WriteAsync(Record(10, 1));
        await stream.WriteAsync(Record(20, 2));
        Assert.That(inner.Writes, Is.Empty);
        Assert.That(stream.Buffered, Is.EqualTo(30));
        await stream.FlushAsync();
        Assert.That(inner.Writes, Is.EqualTo(new[] { 30 }));
    }

    [Test]
    public async Task On_AWriteLargerThanTheBuffer_GoesStraightThroughAfterWhatWasBuffered()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner, capacity: 1024) { Coalescing = true };
        await stream.WriteAsync(Record(10, 1));
        await stream.WriteAsync(Record(5000, 2));
        Assert.That(inner.Writes, Is.EqualTo(new[] { 10, 5000 }));
        Assert.That(inner.ToArray(), Is.EqualTo(Record(10, 1).Concat(Record(5000, 2)).ToArray()));
    }

    [Test]
    public async Task On_SyncWrites_AreBufferedAndFlushedInOrderToo()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner, capacity: 64) { Coalescing = true };
        stream.Write(Record(40, 1));
        stream.Write(Record(40, 2));
        stream.Flush();
        Assert.That(inner.Writes, Is.EqualTo(new[] { 40, 40 }));
        Assert.That(inner.ToArray(), Is.EqualTo(Record(40, 1).Concat(Record(40, 2)).ToArray()));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Dispose_SendsWhatWasStillBuffered()
    {
        var inner = new RecordingStream();
        var stream = new WriteCoalescingStream(inner) { Coalescing = true };
        await stream.WriteAsync(Record(7, 9));
        var sent = new List<int>(inner.Writes);
        await stream.DisposeAsync();
        Assert.That(sent, Is.Empty);
        Assert.That(inner.Writes, Is.EqualTo(new[] { 7 }));
    }

    [Test]
    public async Task Reads_PassThrough()
    {
        var inner = new MemoryStream([1, 2, 3]);
        var stream = new WriteCoalescingStream(inner) { Coalescing = true };
        var buffer = new byte[8];
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(3));
        Assert.That(buffer[..3], Is.EqualTo(new byte[] { 1, 2, 3 }));
    }
}
