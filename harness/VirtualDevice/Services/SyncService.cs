using System.Buffers.Binary;
using System.Text;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Services;

/// <summary>
/// The `sync:` file service: loops over STAT/STA2/LST2/LIST/LIS2/SEND/RECV requests until QUIT, reading requests that may
/// span WRTE boundaries. Runs as the shell user (so /system is read-only, /data/local/tmp and /sdcard writable).
/// </summary>
public sealed class SyncService(VirtualFileSystem fileSystem)
{
    public const int MaxPathLength = 1024;
    public const int MaxDataChunk = 64 * 1024;

    public async Task RunAsync(Stream input, Stream output, CancellationToken ct)
    {
        var header = new byte[8];
        while (true)
        {
            if (!await TryReadExactlyAsync(input, header, ct).ConfigureAwait(false)) return;
            var id = Encoding.ASCII.GetString(header, 0, 4);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (id == "QUIT") return;
            if (length > MaxPathLength)
            {
                await WriteFailAsync(output, "path too long", ct).ConfigureAwait(false);
                return;
            }
            var pathBytes = new byte[length];
            if (!await TryReadExactlyAsync(input, pathBytes, ct).ConfigureAwait(false)) return;
            var path = Encoding.UTF8.GetString(pathBytes);
            switch (id)
            {
                case "STAT": await output.WriteAsync(EncodeStatV1(fileSystem.Stat(path)), ct).ConfigureAwait(false); break;
                case "STA2": case "LST2": await output.WriteAsync(EncodeStatV2("STA2" == id ? "STA2" : "LST2", fileSystem.Stat(path)), ct).ConfigureAwait(false); break;
                case "LIST": await ListAsync(output, path, v2: false, ct).ConfigureAwait(false); break;
                case "LIS2": await ListAsync(output, path, v2: true, ct).ConfigureAwait(false); break;
                case "RECV": await ReceiveAsync(output, path, ct).ConfigureAwait(false); break;
                case "SEND":
                    if (!await SendAsync(input, output, path, ct).ConfigureAwait(false)) return;
                    break;
                default:
                    await WriteFailAsync(output, $"unknown command {id}", ct).ConfigureAwait(false);
                    return;
            }
        }
    }

    public static byte[] EncodeStatV1(VfsEntry? e)
    {
        var b = new byte[16];
        Encoding.ASCII.GetBytes("STAT").CopyTo(b, 0);
        if (e == null) return b;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), e.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)e.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), (uint)e.ModifiedUnixSeconds);
        return b;
    }

    public static byte[] EncodeStatV2(string id, VfsEntry? e)
    {
        var b = new byte[72];
        Encoding.ASCII.GetBytes(id).CopyTo(b, 0);
        WriteStatV2Body(b.AsSpan(4), e);
        return b;
    }

    /// <summary>error, dev, ino, mode, nlink, uid, gid, size, atime, mtime, ctime (68 bytes).</summary>
    private static void WriteStatV2Body(Span<byte> s, VfsEntry? e)
    {
        if (e == null) { BinaryPrimitives.WriteUInt32LittleEndian(s, 2); return; } // ENOENT
        BinaryPrimitives.WriteUInt64LittleEndian(s[4..], 0xFD00);
        BinaryPrimitives.WriteUInt64LittleEndian(s[12..], e.Inode);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], e.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], e.IsDirectory ? 2u : 1u);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], e.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(s[32..], e.Gid);
        BinaryPrimitives.WriteUInt64LittleEndian(s[36..], (ulong)e.Size);
        BinaryPrimitives.WriteInt64LittleEndian(s[44..], e.ModifiedUnixSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(s[52..], e.ModifiedUnixSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(s[60..], e.ModifiedUnixSeconds);
    }

    private async Task ListAsync(Stream output, string path, bool v2, CancellationToken ct)
    {
        var entries = new List<VfsEntry>();
        if (fileSystem.IsDirectory(path))
        {
            var self = fileSystem.Stat(path)!;
            entries.Add(self with { Name = "." });
            entries.Add(self with { Name = ".." });
            entries.AddRange(fileSystem.List(path));
        }
        using var buffer = new MemoryStream();
        foreach (var e in entries)
        {
            var name = Encoding.UTF8.GetBytes(e.Name);
            if (v2)
            {
                var b = new byte[76];
                Encoding.ASCII.GetBytes("DNT2").CopyTo(b, 0);
                WriteStatV2Body(b.AsSpan(4), e);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(72), (uint)name.Length);
                buffer.Write(b);
            }
            else
            {
                var b = new byte[20];
                Encoding.ASCII.GetBytes("DENT").CopyTo(b, 0);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), e.Mode);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)e.Size);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), (uint)e.ModifiedUnixSeconds);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)name.Length);
                buffer.Write(b);
            }
            buffer.Write(name);
        }
        var done = new byte[v2 ? 76 : 20];
        Encoding.ASCII.GetBytes("DONE").CopyTo(done, 0);
        buffer.Write(done);
        await output.WriteAsync(buffer.ToArray(), ct).ConfigureAwait(false);
    }

    private async Task ReceiveAsync(Stream output, string path, CancellationToken ct)
    {
        byte[] content;
        try { content = fileSystem.ReadFile(path); }
        catch (VirtualFileSystemException e)
        {
            await WriteFailAsync(output, $"open failed: {e.Message}", ct).ConfigureAwait(false);
            return;
        }
        for (var offset = 0; offset < content.Length; offset += MaxDataChunk)
        {
            var n = Math.Min(MaxDataChunk, content.Length - offset);
            var chunk = new byte[8 + n];
            Encoding.ASCII.GetBytes("DATA").CopyTo(chunk, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)n);
            content.AsSpan(offset, n).CopyTo(chunk.AsSpan(8));
            await output.WriteAsync(chunk, ct).ConfigureAwait(false);
        }
        await output.WriteAsync(Id("DONE", 0), ct).ConfigureAwait(false);
    }

    /// <returns>False when the stream ended mid-transfer.</returns>
    private async Task<bool> SendAsync(Stream input, Stream output, string pathAndMode, CancellationToken ct)
    {
        var comma = pathAndMode.LastIndexOf(',');
        var path = comma >= 0 ? pathAndMode[..comma] : pathAndMode;
        uint mode = 0x81A4; // 0100644
        if (comma >= 0)
        {
            var text = pathAndMode[(comma + 1)..];
            try { mode = text.StartsWith("0x") ? Convert.ToUInt32(text[2..], 16) : text.StartsWith('0') && text.Length > 1 ? Convert.ToUInt32(text, 8) : uint.Parse(text); }
            // adbd ignores a mode it cannot read; so do we (negative, too large, "0x" alone: found by fuzzing).
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException) { }
        }
        using var content = new MemoryStream();
        var header = new byte[8];
        uint mtime;
        while (true)
        {
            if (!await TryReadExactlyAsync(input, header, ct).ConfigureAwait(false)) return false;
            var id = Encoding.ASCII.GetString(header, 0, 4);
            var value = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (id == "DONE") { mtime = value; break; }
            if (id != "DATA" || value > MaxDataChunk)
            {
                await WriteFailAsync(output, $"invalid data message: expected DATA, got {id}", ct).ConfigureAwait(false);
                return false;
            }
            var data = new byte[value];
            if (!await TryReadExactlyAsync(input, data, ct).ConfigureAwait(false)) return false;
            content.Write(data);
        }
        if (path.Length == 0)
        {
            // SEND with an empty path threw ArgumentOutOfRangeException here (found by fuzzing); adbd refuses it.
            await WriteFailAsync(output, "couldn't create file: empty path", ct).ConfigureAwait(false);
            return true;
        }
        try
        {
            var parent = path[..Math.Max(1, path.LastIndexOf('/'))];
            if (!fileSystem.Exists(parent)) fileSystem.CreateDirectory(parent, parents: true, asRoot: false);
            fileSystem.WriteFile(path, content.ToArray(), asRoot: false, permissions: mode & 0xFFF, modifiedUnixSeconds: mtime);
        }
        catch (VirtualFileSystemException e)
        {
            await WriteFailAsync(output, $"couldn't create file: {e.Message}", ct).ConfigureAwait(false);
            return true;
        }
        await output.WriteAsync(Id("OKAY", 0), ct).ConfigureAwait(false);
        return true;
    }

    private static byte[] Id(string id, uint value)
    {
        var b = new byte[8];
        Encoding.ASCII.GetBytes(id).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), value);
        return b;
    }

    private static async Task WriteFailAsync(Stream output, string message, CancellationToken ct)
    {
        var text = Encoding.UTF8.GetBytes(message);
        byte[] packet = [.. Id("FAIL", (uint)text.Length), .. text];
        await output.WriteAsync(packet, ct).ConfigureAwait(false);
    }

    private static async Task<bool> TryReadExactlyAsync(Stream input, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
