using Harness.Adb.Protocol;

namespace Harness.Adb;

public sealed partial class AdbClient
{
    /// <summary>Regular file, rw-r--r--.</summary>
    public const uint DefaultFileMode = 0x81A4;

    /// <summary>Pushes a stream to the device in chunks of at most 64 KiB, then sets mode and mtime.</summary>
    public Task PushAsync(string serial, Stream content, string remotePath, uint mode = DefaultFileMode, DateTimeOffset? modified = null, CancellationToken cancellationToken = default) =>
        RunAsync($"push {remotePath}", Options.TransferTimeout, async token =>
        {
            if (content.CanSeek) content.Position = 0;
            await using var connection = await OpenDeviceServiceAsync(serial, "sync:", token).ConfigureAwait(false);
            // Only the permission bits travel; adbd adds the file type itself.
            await connection.WriteAsync(SyncProtocol.EncodeSend(remotePath, (mode & 0xFFF) | 0x8000), token).ConfigureAwait(false);
            var chunk = new byte[SyncProtocol.MaxDataChunk];
            while (true)
            {
                var read = await content.ReadAsync(chunk, token).ConfigureAwait(false);
                if (read == 0) break;
                await connection.WriteAsync(SyncProtocol.EncodeData(chunk.AsSpan(0, read)), token).ConfigureAwait(false);
            }
            var mtime = (uint)(modified ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            await connection.WriteAsync(SyncProtocol.EncodeDone(mtime), token).ConfigureAwait(false);
            var reply = await ReadSyncReplyAsync(connection, SyncReplyContext.Send, token).ConfigureAwait(false);
            if (reply.Kind == SyncReplyKind.Fail)
                throw new SyncFailedException(remotePath, reply.FailureMessage ?? "");
            await connection.WriteAsync(SyncProtocol.EncodeQuit(), token).ConfigureAwait(false);
        }, cancellationToken);

    public async Task PushFileAsync(string serial, string localPath, string remotePath, uint mode = DefaultFileMode, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(localPath);
        await PushAsync(serial, file, remotePath, mode, File.GetLastWriteTimeUtc(localPath), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pulls a remote file into <paramref name="destination"/>. A FAIL (missing file, no permission) throws with the device's message.</summary>
    public Task PullAsync(string serial, string remotePath, Stream destination, CancellationToken cancellationToken = default) =>
        RunAsync($"pull {remotePath}", Options.TransferTimeout, async token =>
        {
            if (destination.CanSeek) { destination.SetLength(0); destination.Position = 0; }
            await using var connection = await OpenDeviceServiceAsync(serial, "sync:", token).ConfigureAwait(false);
            await connection.WriteAsync(SyncProtocol.EncodeRequest("RECV", remotePath), token).ConfigureAwait(false);
            var reader = new SyncReplyReader(connection);
            while (true)
            {
                var reply = await reader.ReadAsync(SyncReplyContext.Receive, token).ConfigureAwait(false);
                switch (reply.Kind)
                {
                    case SyncReplyKind.Data:
                        await destination.WriteAsync(reply.Data, token).ConfigureAwait(false);
                        break;
                    case SyncReplyKind.Done:
                        await connection.WriteAsync(SyncProtocol.EncodeQuit(), token).ConfigureAwait(false);
                        return;
                    case SyncReplyKind.Fail:
                        throw new SyncFailedException(remotePath, reply.FailureMessage ?? "");
                }
            }
        }, cancellationToken);

    public async Task<byte[]> PullBytesAsync(string serial, string remotePath, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await PullAsync(serial, remotePath, buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>lstat through sync STAT. A missing path gives <see cref="FileStatistics.Exists"/> false, as adbd reports it.</summary>
    public Task<FileStatistics> StatAsync(string serial, string remotePath, CancellationToken cancellationToken = default) =>
        RunAsync($"stat {remotePath}", Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenDeviceServiceAsync(serial, "sync:", token).ConfigureAwait(false);
            await connection.WriteAsync(SyncProtocol.EncodeRequest("STAT", remotePath), token).ConfigureAwait(false);
            var reply = await ReadSyncReplyAsync(connection, SyncReplyContext.Stat, token).ConfigureAwait(false);
            if (reply.Kind == SyncReplyKind.Fail) throw new SyncFailedException(remotePath, reply.FailureMessage ?? "");
            await connection.WriteAsync(SyncProtocol.EncodeQuit(), token).ConfigureAwait(false);
            return new FileStatistics(remotePath, reply.Mode, reply.Size, DateTimeOffset.FromUnixTimeSeconds(reply.ModifiedUnixSeconds));
        }, cancellationToken);

    /// <summary>Directory listing through sync LIST (includes "." and ".." as adbd sends them).</summary>
    public Task<IReadOnlyList<RemoteDirectoryEntry>> ListDirectoryAsync(string serial, string remotePath, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<RemoteDirectoryEntry>>($"list {remotePath}", Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenDeviceServiceAsync(serial, "sync:", token).ConfigureAwait(false);
            await connection.WriteAsync(SyncProtocol.EncodeRequest("LIST", remotePath), token).ConfigureAwait(false);
            var reader = new SyncReplyReader(connection);
            var entries = new List<RemoteDirectoryEntry>();
            while (true)
            {
                var reply = await reader.ReadAsync(SyncReplyContext.List, token).ConfigureAwait(false);
                if (reply.Kind == SyncReplyKind.Fail) throw new SyncFailedException(remotePath, reply.FailureMessage ?? "");
                if (reply.Kind == SyncReplyKind.Done) break;
                entries.Add(new RemoteDirectoryEntry(reply.Name ?? "", reply.Mode, reply.Size, DateTimeOffset.FromUnixTimeSeconds(reply.ModifiedUnixSeconds)));
            }
            await connection.WriteAsync(SyncProtocol.EncodeQuit(), token).ConfigureAwait(false);
            return entries;
        }, cancellationToken);

    private static Task<SyncReply> ReadSyncReplyAsync(AdbConnection connection, SyncReplyContext context, CancellationToken cancellationToken) =>
        new SyncReplyReader(connection).ReadAsync(context, cancellationToken);
}
