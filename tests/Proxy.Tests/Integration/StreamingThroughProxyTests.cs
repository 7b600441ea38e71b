using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

/// <summary>
/// The client leg coalesces TLS records into fewer sends (WriteCoalescingStream); a body that arrives in bursts must
/// still reach the client burst by burst. The origin holds its second line until the test has seen the first through
/// the proxy, so a proxy that held bytes back until the response ends makes this test fail (after its time limit).
/// </summary>
public sealed class StreamingThroughProxyTests
{
    [TestCase(false, TestName = "StreamedBody_Chunked_ReachesTheClientBeforeTheOriginFinishes")]
    [TestCase(true, TestName = "StreamedBody_ContentLength_ReachesTheClientBeforeTheOriginFinishes")]
    public async Task StreamedBody_ReachesTheClientBeforeTheOriginFinishes(bool sized)
    {
        await using var origin = await LocalOrigin.StartAsync();
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamCertificateValidation = origin.Validator();
        });
        using var handler = new HttpClientHandler
        {
            Proxy = new WebProxy(fx.ProxyUrl),
            UseProxy = true,
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(fx.Ca.PublicCertificate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        using var client = new HttpClient(handler);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var url = $"https://127.0.0.1:{origin.HttpsPort}/stream?sized={sized.ToString().ToLowerInvariant()}";
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);

        var received = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            while (received.Length < LocalOrigin.StreamFirst.Length)
            {
                var n = await body.ReadAsync(buffer, timeout.Token);
                Assert.That(n, Is.GreaterThan(0), "the body ended early");
                received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the first burst did not reach the client while the origin waited (got '{received}'): the proxy held it back");
        }
        Assert.That(received.ToString(), Is.EqualTo(LocalOrigin.StreamFirst));

        origin.StreamGate.SetResult();
        int read;
        while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0) received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        Assert.That(received.ToString(), Is.EqualTo(LocalOrigin.StreamFirst + LocalOrigin.StreamSecond));
        var flow = await fx.WaitForFlowAsync(f => f.Url == url);
        Assert.That(Encoding.UTF8.GetString(flow.ResponseBody!.Raw), Is.EqualTo(LocalOrigin.StreamFirst + LocalOrigin.StreamSecond));
        Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
    }
}
