using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.Proxy.Http2;
using Harness.TestSupport;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// The client role against a real HTTP/2 server, Debian's nginx, without the proxy: over TLS with ALPN h2, and in
/// clear text with prior knowledge. Sixteen streams at once on one connection, 1 KiB and 64 KiB bodies, which
/// nginx can only send as our WINDOW_UPDATEs reopen the windows.
/// </summary>
public sealed class Http2ClientInteropTests
{
    private const string Host = "h2.origin.test";

    [TestCase(true, TestName = "NginxOverTlsWithAlpnH2_SixteenStreamsOnOneConnection")]
    [TestCase(false, TestName = "NginxH2cPriorKnowledge_SixteenStreamsOnOneConnection")]
    public async Task Nginx_SixteenStreamsOnOneConnection(bool tls)
    {
        await using var origin = await NginxOrigin.StartAsync([Host], bodySizes: [1024, 65536]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", tls ? origin.Http2Port : origin.H2cPort, timeout.Token);
        Stream stream = tcp.GetStream();
        if (tls)
        {
            var ssl = new SslStream(stream);
            using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(origin.CaPemPath));
            var chainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            chainPolicy.CustomTrustStore.Add(ca);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = Host,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                CertificateChainPolicy = chainPolicy,
            }, timeout.Token);
            Assert.That(ssl.NegotiatedApplicationProtocol, Is.EqualTo(SslApplicationProtocol.Http2), "nginx selected h2 in ALPN");
            stream = ssl;
        }
        await using var _ = stream;

        // Small windows on our side: nginx must wait for our WINDOW_UPDATEs to send the 64 KiB bodies.
        var h2 = new Http2Connection(Http2Role.Client, new Http2ConnectionOptions { InitialStreamWindowSize = 16384, ConnectionWindowSize = 65535 });
        var paths = Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? "/bytes?n=65536" : "/bytes?n=1024").Append("/host").Append("/missing").ToList();
        var byStream = new Dictionary<int, string>();
        var status = new Dictionary<int, int>();
        var bodies = new Dictionary<int, MemoryStream>();
        var finished = new HashSet<int>();
        var maxOpen = 0;
        var handshakeDone = false;
        await Http2SocketPump.RunAsync(h2, stream, e =>
        {
            switch (e)
            {
                case Http2PeerSettingsReceived when !handshakeDone:
                    handshakeDone = true;
                    foreach (var path in paths)
                    {
                        var id = h2.SubmitRequest(Fields(":method=GET", ":scheme=" + (tls ? "https" : "http"), ":authority=" + Host, ":path=" + path, "user-agent=harness-h2-test"), endStream: true);
                        byStream[id] = path;
                        bodies[id] = new MemoryStream();
                    }
                    maxOpen = h2.ActiveStreamCount;
                    break;
                case Http2ResponseReceived r:
                    status[r.StreamId] = r.StatusCode;
                    if (r.EndStream) finished.Add(r.StreamId);
                    break;
                case Http2DataReceived d:
                    bodies[d.StreamId].Write(d.Data.Span);
                    h2.ConsumeData(d.StreamId, d.Data.Length);
                    if (d.EndStream) finished.Add(d.StreamId);
                    break;
                case Http2StreamReset or Http2ConnectionError or Http2GoAwayReceived:
                    Assert.Fail($"unexpected {e}");
                    break;
            }
            return finished.Count == paths.Count;
        }, timeout.Token);

        Assert.That(finished, Has.Count.EqualTo(paths.Count));
        Assert.That(maxOpen, Is.EqualTo(paths.Count), "every request was in flight at once on the one connection");
        foreach (var (id, path) in byStream)
        {
            var body = bodies[id].ToArray();
            switch (path)
            {
                case "/host":
                    Assert.That(status[id], Is.EqualTo(200));
                    Assert.That(Encoding.ASCII.GetString(body), Does.StartWith($"host={Host}").And.Contain("proto=HTTP/2.0"));
                    break;
                case "/missing":
                    Assert.That(status[id], Is.EqualTo(404));
                    break;
                default:
                    var size = int.Parse(path.Split('=')[1]);
                    Assert.That(status[id], Is.EqualTo(200), path);
                    Assert.That(body, Is.EqualTo(Enumerable.Range(0, size).Select(i => (byte)('a' + i % 26)).ToArray()), $"stream {id} {path}");
                    break;
            }
        }
        h2.GoAway();
        await Http2SocketPump.FlushAsync(h2, stream, timeout.Token);
        Assert.That(h2.IsFailed, Is.False);
    }
}
