namespace Harness.Proxy.Tests.Relay;

public sealed class ReadAheadStreamTests
{
    /// <summary>Hands out at most what each "receive" delivered, like a socket, and counts the receive calls.</summary>
    private sealed class BurstStream(params byte[][] bursts) : Stream
    {
        private readonly Queue<byte[]> _bursts = new(bursts);
        private byte[] _current = [];
        private int _offset;
        public int Receives { get; private set; }
        public List<int> Writes { get; } = [];

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Receives++;
            if (_offset == _current.Length)
            {
                if (!_bursts.TryDequeue(out var next)) return 0;
                _current = next;
                _offset = 0;
            }
            var n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            return ValueTask.CompletedTask;
        }
        public override void Flush() { }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static byte[] Bytes(int n, int seed) => Enumerable.Range(0, n).Select(i => (byte)(i * 31 + seed)).ToArray();

    private static async Task<byte[]> ReadAllAsync(Stream stream, int chunk)
    {
        var all = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    [Test]
    public async Task FourRecordsInOneBurst_TakeOneReceive_AndComeOutByteForByte()
    {
        // What SslStream does: asks for ~16 KiB at a time while the socket already holds the whole 64 KiB response.
        var burst = Bytes(4 * 16_384, 3);
        var inner = new BurstStream(burst);
        var stream = new ReadAheadStream(inner);
        var result = await ReadAllAsync(stream, 16_384);
        Assert.That(result, Is.EqualTo(burst));
        Assert.That(inner.Receives, Is.EqualTo(2), "one receive for the burst, one that sees the end");
    }

    [Test]
    public async Task ReadReturnsWhatArrived_WithoutWaitingToFillTheBuffer()
    {
        var inner = new BurstStream(Bytes(10, 1), Bytes(20, 2));
        var stream = new ReadAheadStream(inner);
        var buffer = new byte[1000];
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(10));
        Assert.That(buffer[..10], Is.EqualTo(Bytes(10, 1)));
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(20));
        Assert.That(await stream.ReadAsync(buffer), Is.Zero);
    }

    [Test]
    public async Task SmallReads_AreServedFromTheBuffer_InOrder()
    {
        var data = Bytes(1000, 5);
        var inner = new BurstStream(data);
        var stream = new ReadAheadStream(inner, capacity: 4096);
        var result = await ReadAllAsync(stream, 7);
        Assert.That(result, Is.EqualTo(data));
        Assert.That(inner.Receives, Is.EqualTo(2));
    }

    [Test]
    public void SyncReads_BehaveTheSame()
    {
        var data = Bytes(5000, 9);
        var inner = new BurstStream(data[..3000], data[3000..]);
        var stream = new ReadAheadStream(inner, capacity: 4096);
        var all = new MemoryStream();
        var buffer = new byte[100];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) all.Write(buffer, 0, n);
        Assert.That(all.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public async Task AReadAsLargeAsTheBuffer_GoesStraightToTheInnerStream()
    {
        var data = Bytes(100, 4);
        var inner = new BurstStream(data);
        var stream = new ReadAheadStream(inner, capacity: 64);
        var buffer = new byte[100];
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(100));
        Assert.That(stream.Buffered, Is.Zero);
    }

    [Test]
    public async Task Writes_PassThrough()
    {
        var inner = new BurstStream();
        var stream = new ReadAheadStream(inner);
        await stream.WriteAsync(new byte[12]);
        Assert.That(inner.Writes, Is.EqualTo(new[] { 12 }));
    }
}
