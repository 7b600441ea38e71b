using System.Text;
using System.Net;

namespace Harness.Leaks.Tests;

public sealed class IdentifierAndMetadataTests
{
    private readonly ScanFixture _f = new();

    [Test]
    public void Uuid_recurring_in_sensors_payloads_of_two_sessions_is_linkable_and_track_id_is_not()
    {
        var normal = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://a.example/")), session: "normal");
        var incognito = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://b.example/")), session: "incognito");
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, Expectations = [new NoLinkableIdExpectation()] }, normal, incognito);

        var values = result.Linkables.Select(l => l.Value).ToList();
        Assert.That(values, Does.Contain("3f2a9c1e-7b4d-4e2a-9f1c-2d3e4f5a6b7c"));
        Assert.That(values, Does.Contain("a1b2c3d4e5f60718"));
        Assert.That(values, Does.Not.Contain("123456"));
        var uuid = result.Linkables.First(l => l.Value == "3f2a9c1e-7b4d-4e2a-9f1c-2d3e4f5a6b7c");
        Assert.That(uuid.Sessions, Is.EqualTo(new[] { "incognito", "normal" }));
        Assert.That(uuid.Field, Is.AnyOf("uuid", "distinct_id"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
    }

    [Test]
    public void Fresh_ids_per_session_are_not_linkable()
    {
        var normal = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://a.example/", "11111111-2222-3333-4444-555555555555", "0123456789abcdef")), session: "normal");
        var incognito = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://a.example/", "99999999-8888-7777-6666-555555555555", "fedcba9876543210")), session: "incognito");
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, Expectations = [new NoLinkableIdExpectation()] }, normal, incognito);
        Assert.That(result.Linkables, Is.Empty);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void One_session_cannot_show_linkability()
    {
        var only = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://a.example/")), session: "normal");
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, Expectations = [new NoLinkableIdExpectation()] }, only);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
    }

    [Test]
    public void Device_metadata_is_found_in_decoded_vendor_and_third_party_payloads_not_at_the_intended_host()
    {
        var vendor = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://a.example/")));
        var thirdParty = TestFlows.Post("https://cdn.example.org/x", "model=Redmi+Note+8");
        var intended = TestFlows.Post($"https://{_f.Canaries.IntendedHosts[0]}/form", "android_id=a1b2c3d4e5f60718");
        var request = new ScanRequest
        {
            Canaries = _f.Canaries,
            DeviceMetadata = new Dictionary<string, string> { ["model"] = "Redmi Note 8", ["android_id"] = "a1b2c3d4e5f60718", ["serial"] = "NOTSENT123" },
        };
        var found = _f.Scan(request, vendor, thirdParty, intended).DeviceMetadataFindings;
        Assert.That(found.Select(m => m.Name).Distinct(), Is.EquivalentTo(new[] { "model", "android_id" }));
        Assert.That(found.Select(m => m.FlowId).Distinct(), Is.EquivalentTo(new[] { vendor.Id, thirdParty.Id }));
        Assert.That(found.First(m => m.Name == "model" && m.FlowId == vendor.Id).Location, Is.EqualTo("body > sensors data_list gzip=1 crc ok > base64 > gzip > event[0] app_start > json $.properties.$model"));
    }

    [TestCase("md5", "hex")]
    [TestCase("sha1", "HEX")]
    [TestCase("sha256", "hex")]
    [TestCase("sha256", "base64")]
    public void Hashed_identifiers_are_found_by_their_digest(string algorithm, string encoding)
    {
        const string imei = "861234567890123";
        var digest = algorithm switch
        {
            "md5" => System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(imei)),
            "sha1" => System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(imei)),
            _ => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(imei)),
        };
        var form = encoding switch { "hex" => Convert.ToHexString(digest).ToLowerInvariant(), "HEX" => Convert.ToHexString(digest), _ => Convert.ToBase64String(digest) };
        var flow = TestFlows.Post("https://ads.example.net/v1/track", $"{{\"did\":\"{form}\",\"ev\":\"open\"}}", "application/json");
        var request = new ScanRequest { Canaries = _f.Canaries, DeviceMetadata = new Dictionary<string, string> { ["imei"] = imei } };
        var found = _f.Scan(request, flow).DeviceMetadataFindings;
        Assert.That(found.Select(m => m.Name), Is.EqualTo(new[] { $"imei ({algorithm}, {encoding.ToLowerInvariant()})" }));
        Assert.That(found[0].Value, Is.EqualTo(form).IgnoreCase);
        Assert.That(found[0].Location, Does.Contain("$.did"));
    }

    [Test]
    public void Proc_net_tcp_and_tcp6_are_parsed()
    {
        const string tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
               1: 0F02000A:A1B2 02017512:01BB 01 00000000:00000000 00:00000000 00000000 10123        0 23456 1 0000000000000000 20 4 30 10 -1
            """;
        var entries = ProcNetTcpParser.Parse(tcp);
        Assert.That(entries, Has.Count.EqualTo(2));
        Assert.That(entries[0].Local, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 8080)));
        Assert.That(entries[0].State, Is.EqualTo("LISTEN"));
        Assert.That(entries[1].Remote, Is.EqualTo(new IPEndPoint(IPAddress.Parse("18.117.1.2"), 443)));
        Assert.That(entries[1].Local, Is.EqualTo(new IPEndPoint(IPAddress.Parse("10.0.2.15"), 0xA1B2)));
        Assert.That(entries[1].Uid, Is.EqualTo(10123));

        const string tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0000000000000000FFFF00000F02000A:C350 0000000000000000FFFF000002017512:01BB 01 00000000:00000000 00:00000000 00000000 10123 0 1 1
               1: 00000000000000000000000001000000:0050 B80D0120000000000000000001000000:1F90 06 00000000:00000000 00:00000000 00000000 0 0 1 1
            """;
        var six = ProcNetTcpParser.Parse(tcp6, "/proc/net/tcp6");
        Assert.That(six[0].Remote, Is.EqualTo(new IPEndPoint(IPAddress.Parse("18.117.1.2"), 443)));
        Assert.That(six[1].Local.Address, Is.EqualTo(IPAddress.IPv6Loopback));
        Assert.That(six[1].Remote.Address, Is.EqualTo(IPAddress.Parse("2001:db8::1")));
        Assert.That(six[1].State, Is.EqualTo("TIME_WAIT"));

        var proxy = new IPEndPoint(IPAddress.Parse("10.0.2.2"), 8080);
        var unaccounted = ProcNetTcpParser.Unaccounted([(DateTimeOffset.UnixEpoch, entries), (DateTimeOffset.UnixEpoch, six)], [proxy]);
        Assert.That(unaccounted.Select(u => u.Remote), Is.EqualTo(new[] { new IPEndPoint(IPAddress.Parse("18.117.1.2"), 443) }));
    }

    [Test]
    public void Proc_net_udp_and_udp6_are_told_apart_from_tcp_by_their_header()
    {
        // As `cat /proc/net/tcp /proc/net/udp /proc/net/udp6` prints them on a phone (kernel 4.14; udp4 lines padded to 127).
        const string tables = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0F02000A:A1B2 02017512:01BB 01 00000000:00000000 00:00000000 00000000 10123        0 23456 1 0000000000000000 20 4 30 10 -1
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              19: 0F02000A:9D53 02017512:01BB 01 00000000:00000000 00:00000000 00000000 10123        0 88123 2 0000000000000000 0
              53: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 1234 2 0000000000000000 0
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              87: 0000000000000000FFFF00000F02000A:B1C0 00000000000000000000000001000000:0355 01 00000000:00000000 00:00000000 00000000 10123        0 99123 2 0000000000000000 0
            """;
        var entries = ProcNetTcpParser.Parse(tables, "/proc/net/*");
        Assert.That(entries.Select(e => e.Transport), Is.EqualTo(new[] { SocketTransport.Tcp, SocketTransport.Udp, SocketTransport.Udp, SocketTransport.Udp }));
        Assert.That(entries[1].Remote, Is.EqualTo(new IPEndPoint(IPAddress.Parse("18.117.1.2"), 443)));
        Assert.That(entries[1].IsEstablished, Is.True, "a connected UDP socket shows 01");
        Assert.That(entries[2].State, Is.EqualTo("CLOSE"), "an unconnected one 07, without a peer");
        Assert.That(entries[3].Remote, Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 853)));

        var quic = new UnaccountedConnection(entries[1].Remote, DateTimeOffset.UnixEpoch, null, SocketTransport.Udp);
        Assert.That((quic.Kind, quic.Describe()), Is.EqualTo(("quic-connection", "QUIC (UDP 443) to 18.117.1.2:443")));
        Assert.That(new UnaccountedConnection(new IPEndPoint(IPAddress.Parse("1.1.1.1"), 853), DateTimeOffset.UnixEpoch).Kind, Is.EqualTo("dns-over-tls"));
        Assert.That(new UnaccountedConnection(entries[0].Remote, DateTimeOffset.UnixEpoch).Kind, Is.EqualTo("unaccounted-connection"));
    }

    [Test]
    public void Malformed_proc_net_tcp_is_bad_input_with_line()
    {
        var e = Assert.Throws<Harness.Core.BadInputException>(() => ProcNetTcpParser.Parse("  sl local\n   0: XYZ 00000000:0000 0A\n"))!;
        Assert.That(e.Line, Is.EqualTo(2));
    }
}
