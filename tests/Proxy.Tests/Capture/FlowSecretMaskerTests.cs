using System.Security.Cryptography;
using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Tests.Capture;

public sealed class FlowSecretMaskerTests
{
    private const string Password = "p@ss word/+7";

    [Test]
    public void EveryFormOfThePasswordIsMasked_AndNothingElse()
    {
        var md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(Password)));
        var canary = "cnry-7f3a9c";
        var flow = new Flow
        {
            Id = "1",
            Host = "account.example",
            Url = $"https://account.example/login?pw={Uri.EscapeDataString(Password)}&q={canary}",
            RequestHeaders = [new HeaderField("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Password))), new HeaderField("X-Canary", canary)],
            RequestBody = new FlowBody { Raw = Encoding.UTF8.GetBytes($"user=a&password={Password}&hash={md5}&h2={md5.ToLowerInvariant()}&c={canary}"), Size = 99 },
        };
        FlowSecretMasker.Mask(flow, [new MaskedSecret("account-password", Password)]);
        var body = Encoding.UTF8.GetString(flow.RequestBody.Raw);
        Assert.Multiple(() =>
        {
            Assert.That(flow.Url, Is.EqualTo($"https://account.example/login?pw=[masked:account-password]&q={canary}"));
            Assert.That(flow.RequestHeaders[0].Value, Is.EqualTo("Basic [masked:account-password]"));
            Assert.That(flow.RequestHeaders[1].Value, Is.EqualTo(canary), "a canary is never masked");
            Assert.That(body, Is.EqualTo($"user=a&password=[masked:account-password]&hash=[masked:account-password]&h2=[masked:account-password]&c={canary}"));
            Assert.That(flow.RequestBody.Size, Is.EqualTo(99), "the size that crossed the wire stays");
            Assert.That(flow.Tags[FlowSecretMasker.TagName], Does.Contain("account-password@request.url").And.Contain("account-password@request.body").And.Contain("account-password@request.headers.Authorization"));
        });
    }

    [Test]
    public void AFlowWithoutTheSecret_IsLeftAsItWas()
    {
        var flow = new Flow { Id = "1", Host = "h", Url = "http://h/", RequestBody = new FlowBody { Raw = "plain"u8.ToArray(), Size = 5 } };
        FlowSecretMasker.Mask(flow, [new MaskedSecret("account-password", Password)]);
        Assert.That(flow.Tags, Does.Not.ContainKey(FlowSecretMasker.TagName));
        Assert.That(flow.RequestBody.Raw, Is.EqualTo("plain"u8.ToArray()));
    }
}
