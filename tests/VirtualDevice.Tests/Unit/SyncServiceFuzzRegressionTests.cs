using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Services;

namespace Harness.VirtualDevice.Tests.Unit;

/// <summary>Crashes the `sync` fuzz target (tests/fuzz) found in the virtual phone's sync service.</summary>
public sealed class SyncServiceFuzzRegressionTests
{
    private static byte[] Word(string id, uint value) => [.. Encoding.ASCII.GetBytes(id), .. BitConverter.GetBytes(value)];

    [TestCase("-3188")]
    [TestCase("99999999999")]
    [TestCase("0x")]
    public async Task SendWithUnreadableMode_StoresTheFileWithTheDefaultMode(string mode)
    {
        // Found by afl: "SEND /data/local/tmp/x,-3188" threw OverflowException out of the service.
        var fs = new VirtualFileSystem();
        fs.AddDirectory("/data/local/tmp", 0x1F9, 2000);
        var pathAndMode = "/data/local/tmp/x," + mode;
        byte[] input = [.. Word("SEND", (uint)pathAndMode.Length), .. Encoding.ASCII.GetBytes(pathAndMode),
            .. Word("DATA", 5), .. "hello"u8.ToArray(), .. Word("DONE", 1_700_000_000), .. Word("QUIT", 0)];
        var output = new MemoryStream();

        await new SyncService(fs).RunAsync(new MemoryStream(input), output, CancellationToken.None);

        Assert.That(Encoding.ASCII.GetString(output.ToArray(), 0, 4), Is.EqualTo("OKAY"));
        Assert.That(fs.ReadFile("/data/local/tmp/x"), Is.EqualTo("hello"u8.ToArray()));
    }

    [Test]
    public async Task SendWithEmptyPath_AnswersFail_NotArgumentOutOfRangeException()
    {
        // Found by afl: "SEND" with a zero-length path, then DONE, threw out of the service.
        byte[] input = [.. Word("SEND", 0), .. Word("DONE", 1_700_000_000), .. Word("QUIT", 0)];
        var output = new MemoryStream();

        await new SyncService(new VirtualFileSystem()).RunAsync(new MemoryStream(input), output, CancellationToken.None);

        Assert.That(Encoding.ASCII.GetString(output.ToArray(), 0, 4), Is.EqualTo("FAIL"));
    }
}
