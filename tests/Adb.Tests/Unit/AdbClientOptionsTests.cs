using Harness.Adb;

namespace Harness.Adb.Tests.Unit;

public sealed class AdbClientOptionsTests
{
    [TestCase(null, "127.0.0.1", 5037)]
    [TestCase("", "127.0.0.1", 5037)]
    [TestCase("127.0.0.1:5038", "127.0.0.1", 5038)]
    [TestCase("6000", "127.0.0.1", 6000)]
    [TestCase("localhost", "localhost", 5037)]
    [TestCase(":7000", "127.0.0.1", 7000)]
    public void Endpoint_forms(string? endpoint, string host, int port)
    {
        var options = AdbClientOptions.ForEndpoint(endpoint);
        Assert.That((options.Host, options.Port), Is.EqualTo((host, port)));
    }

    [TestCase("host:notaport")]
    [TestCase("host:0")]
    [TestCase("host:70000")]
    public void Bad_endpoints_throw(string endpoint)
    {
        Assert.Throws<FormatException>(() => AdbClientOptions.ForEndpoint(endpoint));
    }
}
