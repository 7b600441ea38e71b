using System.Buffers.Binary;
using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Services;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class SyncServiceTests
{
    private static byte[] Request(string id, string path) => [.. Encoding.ASCII.GetBytes(id), .. BitConverter.GetBytes((uint)Encoding.UTF8.GetByteCount(path)), .. Encoding.UTF8.GetBytes(path)];
    private static byte[] Word(string id, uint value) => [.. Encoding.ASCII.GetBytes(id), .. BitConverter.GetBytes(value)];

    private static async Task<byte[]> RunAsync(VirtualFileSystem fs, byte[] input)
    {
        var output = new MemoryStream();
        await new SyncService(fs).RunAsync(new OneByteAtATimeStream(input), output, CancellationToken.None);
        return output.ToArray();
    }

    private static VirtualFileSystem NewFs()
    {
        var fs = new VirtualFileSystem();
        fs.AddDirectory("/data/local/tmp", 0x1F9, 2000);
        return fs;
    }

    [Test]
    public async Task SendThenRecvLoopsOverRequestsUntilQuitEvenWhenBytesTrickleIn()
    {
        var fs = NewFs();
        var content = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        byte[] input =
        [
            .. Request("SEND", "/data/local/tmp/f.bin,33188"),
            .. Word("DATA", 65536), .. content[..65536],
            .. Word("DATA", (uint)(content.Length - 65536)), .. content[65536..],
            .. Word("DONE", 1_600_000_000),
            .. Request("RECV", "/data/local/tmp/f.bin"),
            .. Request("STAT", "/data/local/tmp/f.bin"),
            .. Word("QUIT", 0),
        ];
        var output = await RunAsync(fs, input);
        Assert.That(output[..8], Is.EqualTo(Word("OKAY", 0)));
        Assert.That(fs.ReadFile("/data/local/tmp/f.bin"), Is.EqualTo(content));
        Assert.That(fs.Stat("/data/local/tmp/f.bin")!.ModifiedUnixSeconds, Is.EqualTo(1_600_000_000));

        var offset = 8;
        var received = new MemoryStream();
        while (Encoding.ASCII.GetString(output, offset, 4) == "DATA")
        {
            var n = BinaryPrimitives.ReadInt32LittleEndian(output.AsSpan(offset + 4));
            Assert.That(n, Is.LessThanOrEqualTo(65536));
            received.Write(output, offset + 8, n);
            offset += 8 + n;
        }
        Assert.That(received.ToArray(), Is.EqualTo(content));
        Assert.That(output[offset..(offset + 8)], Is.EqualTo(Word("DONE", 0)));
        offset += 8;
        Assert.That(Encoding.ASCII.GetString(output, offset, 4), Is.EqualTo("STAT"));
        Assert.That(BitConverter.ToUInt32(output, offset + 4), Is.EqualTo(0x81A4));
        Assert.That(BitConverter.ToUInt32(output, offset + 8), Is.EqualTo(70_000));
        Assert.That(output, Has.Length.EqualTo(offset + 16));
    }

    [Test]
    public async Task StatOfMissingFileIsZerosAndSta2CarriesEnoent()
    {
        var output = await RunAsync(NewFs(), [.. Request("STAT", "/nope"), .. Request("STA2", "/nope"), .. Word("QUIT", 0)]);
        Assert.That(output[..16], Is.EqualTo(new byte[] { (byte)'S', (byte)'T', (byte)'A', (byte)'T', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        Assert.That(Encoding.ASCII.GetString(output, 16, 4), Is.EqualTo("STA2"));
        Assert.That(BitConverter.ToUInt32(output, 20), Is.EqualTo(2));
        Assert.That(output, Has.Length.EqualTo(16 + 72));
    }

    [Test]
    public async Task RecvOfMissingFileFails()
    {
        var output = await RunAsync(NewFs(), [.. Request("RECV", "/data/local/tmp/none"), .. Word("QUIT", 0)]);
        Assert.That(Encoding.ASCII.GetString(output, 0, 4), Is.EqualTo("FAIL"));
        Assert.That(Encoding.UTF8.GetString(output, 8, (int)BitConverter.ToUInt32(output, 4)), Is.EqualTo("open failed: No such file or directory"));
    }

    [Test]
    public async Task ListAndLis2EndWithDone()
    {
        var fs = NewFs();
        fs.WriteFile("/data/local/tmp/a", [1, 2, 3], asRoot: false);
        var v1 = await RunAsync(fs, [.. Request("LIST", "/data/local/tmp"), .. Word("QUIT", 0)]);
        var names = new List<string>();
        var o = 0;
        while (Encoding.ASCII.GetString(v1, o, 4) == "DENT")
        {
            var len = BitConverter.ToInt32(v1, o + 16);
            names.Add(Encoding.UTF8.GetString(v1, o + 20, len));
            o += 20 + len;
        }
        Assert.That(names, Is.EqualTo(new[] { ".", "..", "a" }));
        Assert.That(v1[o..], Is.EqualTo(new byte[] { (byte)'D', (byte)'O', (byte)'N', (byte)'E', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));

        var v2 = await RunAsync(fs, [.. Request("LIS2", "/data/local/tmp"), .. Word("QUIT", 0)]);
        Assert.That(Encoding.ASCII.GetString(v2, 0, 4), Is.EqualTo("DNT2"));
        Assert.That(v2.Length, Is.EqualTo(3 * 76 + 1 + 2 + 1 + 76));
        Assert.That(Encoding.ASCII.GetString(v2, v2.Length - 76, 4), Is.EqualTo("DONE"));
    }

    [Test]
    public async Task SendOutsideWritableAreasFailsAfterConsumingTheData()
    {
        var fs = NewFs();
        fs.AddDirectory("/system/etc", 0x1ED);
        var output = await RunAsync(fs, [.. Request("SEND", "/system/etc/x,420"), .. Word("DATA", 1), 7, .. Word("DONE", 0), .. Request("STAT", "/system/etc/x"), .. Word("QUIT", 0)]);
        Assert.That(Encoding.ASCII.GetString(output, 0, 4), Is.EqualTo("FAIL"));
        var len = (int)BitConverter.ToUInt32(output, 4);
        Assert.That(Encoding.UTF8.GetString(output, 8, len), Does.Contain("Read-only file system"));
        Assert.That(Encoding.ASCII.GetString(output, 8 + len, 4), Is.EqualTo("STAT"), "the service keeps serving after a failed SEND");
    }

    /// <summary>Delivers one byte per read, as worst-case WRTE fragmentation.</summary>
    private sealed class OneByteAtATimeStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
