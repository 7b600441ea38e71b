using Harness.VirtualDevice.Network;

namespace Harness.VirtualDevice.Tests.Network;

[TestFixture]
public sealed class PhoneProxySettingTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase(":0")]
    [TestCase("null")]
    [TestCase("host:notaport")]
    [TestCase("127.0.0.1:0")]
    public void Values_that_mean_no_proxy(string? value)
    {
        Assert.That(PhoneProxySetting.Parse(value).IsSet, Is.False);
    }

    [TestCase("127.0.0.1:8080", "127.0.0.1", 8080, true)]
    [TestCase("localhost:8888", "localhost", 8888, true)]
    [TestCase("127.0.0.2:9000", "127.0.0.2", 9000, true)]
    [TestCase("[::1]:8080", "[::1]", 8080, true)]
    [TestCase("192.168.1.10:8080", "192.168.1.10", 8080, false)]
    [TestCase("proxy.example:3128", "proxy.example", 3128, false)]
    [TestCase("localhost", "localhost", 8080, true)]
    public void Proxy_values(string value, string host, int port, bool loopback)
    {
        var proxy = PhoneProxySetting.Parse(value);

        Assert.That(proxy, Is.EqualTo(new PhoneProxySetting(host, port)));
        Assert.That(proxy.IsLoopback, Is.EqualTo(loopback));
    }
}
