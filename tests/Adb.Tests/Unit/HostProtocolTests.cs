using System.Text;
using Harness.Adb;
using Harness.Adb.Protocol;

namespace Harness.Adb.Tests.Unit;

public sealed class HostProtocolTests
{
    [Test]
    public void EncodeRequest_prefixes_the_byte_length_in_hex()
    {
        Assert.That(Encoding.ASCII.GetString(HostProtocol.EncodeRequest("host:version")), Is.EqualTo("000Chost:version"));
    }

    [Test]
    public void EncodeRequest_counts_utf8_bytes_not_characters()
    {
        var frame = HostProtocol.EncodeRequest("shell:echo é");
        Assert.That(Encoding.ASCII.GetString(frame, 0, 4), Is.EqualTo("000D"));
        Assert.That(frame, Has.Length.EqualTo(4 + 13));
    }

    [Test]
    public void EncodeRequest_refuses_empty_and_oversized_requests()
    {
        Assert.Throws<ArgumentException>(() => HostProtocol.EncodeRequest(""));
        Assert.Throws<ArgumentException>(() => HostProtocol.EncodeRequest(new string('x', 0x10000)));
        Assert.That(HostProtocol.EncodeRequest(new string('x', 0xFFFF)), Has.Length.EqualTo(0xFFFF + 4));
    }

    [TestCase("0029", 0x29)]
    [TestCase("ffff", 0xFFFF)]
    [TestCase("FfFf", 0xFFFF)]
    [TestCase("0000", 0)]
    public void ParseHex4_accepts_either_case(string digits, int expected)
    {
        Assert.That(HostProtocol.ParseHex4(Encoding.ASCII.GetBytes(digits)), Is.EqualTo(expected));
    }

    [TestCase("00g1")]
    [TestCase("12 4")]
    [TestCase("-001")]
    [TestCase("123")]
    public void ParseHex4_rejects_malformed_lengths(string digits)
    {
        Assert.Throws<AdbProtocolException>(() => HostProtocol.ParseHex4(Encoding.ASCII.GetBytes(digits)));
    }

    [Test]
    public void TryDecodeReply_reads_okay_and_leaves_the_rest()
    {
        var bytes = Encoding.ASCII.GetBytes("OKAY00040029");
        Assert.That(HostProtocol.TryDecodeReply(bytes, out var reply, out var consumed), Is.True);
        Assert.That(reply.IsOkay, Is.True);
        Assert.That(consumed, Is.EqualTo(4));
        Assert.That(HostProtocol.TryDecodeLengthPrefixed(bytes.AsSpan(consumed), out var body, out var bodyBytes), Is.True);
        Assert.That(body, Is.EqualTo("0029"));
        Assert.That(bodyBytes, Is.EqualTo(8));
    }

    [Test]
    public void TryDecodeReply_reads_fail_with_reason()
    {
        var bytes = Encoding.ASCII.GetBytes("FAIL0016device 'abc' not foundTRAILING");
        Assert.That(HostProtocol.TryDecodeReply(bytes, out var reply, out var consumed), Is.True);
        Assert.That(reply.Status, Is.EqualTo(HostStatus.Fail));
        Assert.That(reply.FailureReason, Is.EqualTo("device 'abc' not found"));
        Assert.That(consumed, Is.EqualTo(8 + 22));
    }

    [TestCase("")]
    [TestCase("OKA")]
    [TestCase("FAIL")]
    [TestCase("FAIL00")]
    [TestCase("FAIL0010short")]
    public void TryDecodeReply_asks_for_more_bytes_when_truncated(string partial)
    {
        Assert.That(HostProtocol.TryDecodeReply(Encoding.ASCII.GetBytes(partial), out _, out var consumed), Is.False);
        Assert.That(consumed, Is.Zero);
    }

    [TestCase("OKEY")]
    [TestCase("okay")]
    [TestCase("\0\0\0\0")]
    public void TryDecodeReply_rejects_unknown_status_words(string word)
    {
        Assert.Throws<AdbProtocolException>(() => HostProtocol.TryDecodeReply(Encoding.ASCII.GetBytes(word), out _, out _));
    }

    [Test]
    public void ParseTransportId_is_little_endian_u64()
    {
        Assert.That(HostProtocol.ParseTransportId([7, 1, 0, 0, 0, 0, 0, 0]), Is.EqualTo(263));
        Assert.Throws<AdbProtocolException>(() => HostProtocol.ParseTransportId([1, 2, 3]));
    }

    [TestCase("device offline", typeof(DeviceOfflineException))]
    [TestCase("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set", typeof(DeviceUnauthorizedException))]
    [TestCase("device '127.0.0.1:5555' not found", typeof(DeviceNotFoundException))]
    [TestCase("no devices/emulators found", typeof(DeviceNotFoundException))]
    [TestCase("closed", typeof(AdbCommandFailedException))]
    public void Server_failures_map_to_distinct_exceptions(string reason, Type expected)
    {
        var exception = AdbConnection.MapFailure("host:transport:127.0.0.1:5555", reason, null);
        Assert.That(exception, Is.TypeOf(expected));
        Assert.That(exception.Message, Does.Contain(reason.Split('\n')[0]));
    }

    [Test]
    public void Failure_names_the_serial_from_the_transport_request()
    {
        var exception = (DeviceNotFoundException)AdbConnection.MapFailure("host:transport:127.0.0.1:5555", "device '127.0.0.1:5555' not found", null);
        Assert.That(exception.Serial, Is.EqualTo("127.0.0.1:5555"));
    }
}
