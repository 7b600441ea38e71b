using Harness.Adb.Protocol;

namespace Harness.Adb;

/// <summary>Feeds socket bytes to <see cref="SyncProtocol.TryDecodeReply"/> until a whole reply is there.</summary>
internal sealed class SyncReplyReader(AdbConnection connection)
{
    private byte[] _buffer = new byte[SyncProtocol.MaxDataChunk + 1024];
    private int _count;

    public async Task<SyncReply> ReadAsync(SyncReplyContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (SyncProtocol.TryDecodeReply(_buffer.AsSpan(0, _count), context, out var reply, out var consumed))
            {
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _count - consumed);
                _count -= consumed;
                return reply;
            }
            if (_count == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = await connection.ReadAsync(_buffer.AsMemory(_count), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new AdbProtocolException($"sync stream ended in the middle of a reply ({_count} bytes pending)");
            _count += read;
        }
    }
}
