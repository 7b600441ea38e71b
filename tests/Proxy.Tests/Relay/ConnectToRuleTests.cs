namespace Harness.Proxy.Tests.Relay;

public sealed class ConnectToRuleTests
{
    private static ConnectToRule Parse(string text) =>
        ConnectToRule.TryParse(text, out var rule, out var error) ? rule! : throw new AssertionException(error);

    [TestCase("api.example.com:443=127.0.0.1:8443", "api.example.com", 443, true)]
    [TestCase("api.example.com:443=127.0.0.1:8443", "api.example.com", 80, false)]
    [TestCase("API.example.com=127.0.0.1:8443", "api.example.com", 80, true)]
    [TestCase("*.example.com=127.0.0.1:1", "a.b.example.com", 443, true)]
    [TestCase("*.example.com=127.0.0.1:1", "example.com", 443, false)]
    [TestCase("*.example.com=127.0.0.1:1", "badexample.com", 443, false)]
    [TestCase("*=127.0.0.1:1", "anything.test", 8080, true)]
    [TestCase("*:*=127.0.0.1:1", "anything.test", 8080, true)]
    [TestCase("[::1]:443=127.0.0.1:1", "[::1]", 443, true)]
    public void Matches_LikeCurlConnectTo(string rule, string host, int port, bool expected) =>
        Assert.That(Parse(rule).Matches(host, port), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("example.com")]
    [TestCase("example.com=")]
    [TestCase("=127.0.0.1:1")]
    [TestCase("example.com=127.0.0.1")]
    [TestCase("example.com:99999=127.0.0.1:1")]
    [TestCase("example.com=127.0.0.1:0")]
    [TestCase("ex*ample.com=127.0.0.1:1")]
    [TestCase("example.com=*:1")]
    [TestCase("exa mple.com=127.0.0.1:1")]
    public void Malformed_IsRefusedWithTheSyntax(string text)
    {
        Assert.That(ConnectToRule.TryParse(text, out var rule, out var error), Is.False);
        Assert.That(rule, Is.Null);
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void TheFirstMatchingRuleWins_AndNoMatchMeansDns()
    {
        var options = new InterceptingProxyOptions { ConnectTo = [Parse("a.test:443=127.0.0.1:1001"), Parse("*.test=127.0.0.2:1002")] };
        Assert.That(options.UpstreamAddressFor("a.test", 443), Is.EqualTo(("127.0.0.1", 1001)));
        Assert.That(options.UpstreamAddressFor("b.test", 443), Is.EqualTo(("127.0.0.2", 1002)));
        Assert.That(options.UpstreamAddressFor("example.org", 80), Is.EqualTo(("example.org", 80)));
    }
}
