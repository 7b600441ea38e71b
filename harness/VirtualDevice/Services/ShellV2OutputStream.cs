namespace Harness.VirtualDevice.Services;

/// <summary>Write-only stream that frames everything written as shell v2 packets of one id (stdout or stderr).</summary>
internal sealed class ShellV2OutputStream(Stream transport, byte id, SemaphoreSlim writeLock) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var offset = 0; offset < buffer.Length; offset += ShellV2Protocol.MaxPacketPayload)
        {
            var chunk = buffer.Slice(offset, Math.Min(ShellV2Protocol.MaxPacketPayload, buffer.Length - offset));
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { await transport.WriteAsync(ShellV2Protocol.Encode(id, chunk.Span), cancellationToken).ConfigureAwait(false); }
            finally { writeLock.Release(); }
        }
    }
}
