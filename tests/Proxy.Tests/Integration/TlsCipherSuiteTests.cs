using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

/// <summary>
/// Which cipher each TLS leg of an intercepted exchange negotiates, with .NET's SslStream on the far side as in the
/// ProxyBench (HttpClient as client, Kestrel as origin). AES-GCM is what AES-NI makes cheap; a CBC suite (two passes
/// and a MAC) or ChaCha20 on these CPUs would be a hidden per-byte cost of the relay.
/// </summary>
public sealed class TlsCipherSuiteTests
{
    private static bool IsAesGcm(TlsCipherSuite suite) => suite.ToString() is var name && name.Contains("_AES_", StringComparison.Ordinal) && name.Contains("_GCM_", StringComparison.Ordinal);

    [Test]
    public async Task ClientLeg_ProxyAsTlsServer_NegotiatesTls13AesGcm()
    {
        await using var fx = await ProxyFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", fx.Proxy.LocalEndPoint.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("CONNECT cipher.test:443 HTTP/1.1\r\nHost: cipher.test:443\r\n\r\n"u8.ToArray());
        // The proxy's answer to CONNECT is one short head; read up to its blank line, not past it.
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1) head.Append((char)one[0]);
        Assert.That(head.ToString(), Does.StartWith("HTTP/1.1 200"));

        await using var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "cipher.test",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        TestContext.Out.WriteLine($"client leg: {ssl.SslProtocol} {ssl.NegotiatedCipherSuite}");
        Assert.Multiple(() =>
        {
            Assert.That(ssl.SslProtocol, Is.EqualTo(SslProtocols.Tls13));
            Assert.That(IsAesGcm(ssl.NegotiatedCipherSuite), Is.True, ssl.NegotiatedCipherSuite.ToString());
        });
    }

    [Test]
    public async Task UpstreamLeg_ProxyAsTlsClient_NegotiatesTls13AesGcm()
    {
        await using var origin = await LocalOrigin.StartAsync();
        var options = new InterceptingProxyOptions { UpstreamCertificateValidation = origin.Validator() };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var upstream = await UpstreamConnection.ConnectAsync("127.0.0.1", origin.HttpsPort, tls: true, options, timeout.Token);
        var ssl = (SslStream)upstream.Stream;
        TestContext.Out.WriteLine($"upstream leg: {ssl.SslProtocol} {ssl.NegotiatedCipherSuite}");
        Assert.Multiple(() =>
        {
            Assert.That(ssl.SslProtocol, Is.EqualTo(SslProtocols.Tls13));
            Assert.That(IsAesGcm(ssl.NegotiatedCipherSuite), Is.True, ssl.NegotiatedCipherSuite.ToString());
        });
    }
}
