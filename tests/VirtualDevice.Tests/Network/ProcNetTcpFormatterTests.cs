using System.Net;
using Harness.VirtualDevice.Network;

namespace Harness.VirtualDevice.Tests.Network;

[TestFixture]
public sealed class ProcNetTcpFormatterTests
{
    [Test]
    public void Ipv4_socket_is_listed_in_tcp_with_little_endian_hex_addresses_and_padded_lines()
    {
        var socket = new PhoneTcpConnection(
            123456,
            new IPEndPoint(IPAddress.Parse("192.168.1.23"), 37000),
            new IPEndPoint(IPAddress.Parse("198.18.7.9"), 443),
            PhoneTcpState.Established,
            10123);

        var lines = ProcNetTcpFormatter.FormatTcp([socket]).Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0].TrimEnd(), Is.EqualTo("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"));
            Assert.That(lines[0], Has.Length.EqualTo(149));
            Assert.That(lines[1], Does.StartWith("   0: 1701A8C0:9088 090712C6:01BB 01 00000000:00000000 "));
            Assert.That(lines[1], Has.Length.EqualTo(149));
            Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], Is.EqualTo("10123"), "uid column");
            Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[9], Is.EqualTo("123456"), "inode column");
            Assert.That(lines[2], Is.Empty);
            Assert.That(lines, Has.Length.EqualTo(3));
        });
    }

    [Test]
    public void Ipv4_mapped_java_socket_is_listed_in_tcp6_only()
    {
        var socket = new PhoneTcpConnection(
            77,
            new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 41000),
            new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 8080),
            PhoneTcpState.Established,
            10123);

        var tcp = ProcNetTcpFormatter.FormatTcp([socket]);
        var tcp6 = ProcNetTcpFormatter.FormatTcp6([socket]).Split('\n');

        Assert.That(tcp.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "header only");
        Assert.That(tcp6[0], Is.EqualTo("  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"));
        Assert.That(tcp6[1], Does.StartWith("   0: 0000000000000000FFFF00000100007F:A028 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 "));
    }

    [Test]
    public void Native_ipv6_address_words_are_byte_swapped_per_32_bits()
    {
        Assert.That(ProcNetTcpFormatter.Ipv6Hex(IPAddress.IPv6Loopback), Is.EqualTo("00000000000000000000000001000000"));
        Assert.That(ProcNetTcpFormatter.Ipv6Hex(IPAddress.Parse("2001:db8::1")), Is.EqualTo("B80D0120000000000000000001000000"));
        Assert.That(ProcNetTcpFormatter.Ipv4Hex(IPAddress.Parse("10.0.2.15")), Is.EqualTo("0F02000A"));
    }

    [Test]
    public void Listening_socket_shows_state_0A_and_slots_count_up()
    {
        var listen = new PhoneTcpConnection(1, new IPEndPoint(IPAddress.Any, 5555), new IPEndPoint(IPAddress.Any, 0), PhoneTcpState.Listen, 0);
        var established = listen with { Inode = 2, RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000), State = PhoneTcpState.Established };

        var lines = ProcNetTcpFormatter.FormatTcp([listen, established]).Split('\n');

        Assert.That(lines[1], Does.StartWith("   0: 00000000:15B3 00000000:0000 0A "));
        Assert.That(lines[2], Does.StartWith("   1: 00000000:15B3 0100007F:9C40 01 "));
    }
}
