using System.Net;
using Harness.Proxy.Certificates;

namespace Harness.Proxy.Tests.Integration;

public sealed class ListenAddressTests
{
    [Test]
    public void NonLoopbackListenAddress_IsRefusedUnlessAllowRemote()
    {
        var dir = Directory.CreateTempSubdirectory("harness-listen-").FullName;
        try
        {
            using var ca = CertificateAuthority.LoadOrCreate(Path.Combine(dir, "ca"));
            var options = new InterceptingProxyOptions { CertificateAuthority = ca, ListenEndPoint = new IPEndPoint(IPAddress.Any, 0) };
            var e = Assert.Throws<InvalidOperationException>(() => _ = new InterceptingProxy(options))!;
            Assert.That(e.Message, Does.Contain("AllowRemote"));
            options.AllowRemote = true;
            Assert.DoesNotThrow(() => _ = new InterceptingProxy(options), "constructing does not bind; only the explicit opt-in matters");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
