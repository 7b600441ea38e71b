using System.Text;
using Harness.Core;

namespace Harness.Leaks.Tests;

public sealed class DestinationClassifierTests
{
    private readonly DestinationClassifier _c = new(["zqaaaa.canary.test", "duckduckgo.com"]);

    [TestCase("zqaaaa.canary.test", DestinationClass.Intended)]
    [TestCase("cdn.zqaaaa.canary.test", DestinationClass.Intended)]
    [TestCase("duckduckgo.com", DestinationClass.Intended)]
    [TestCase("xzqaaaa.canary.test", DestinationClass.ThirdParty)]
    [TestCase("sa.api.intl.miui.com", DestinationClass.Vendor)]
    [TestCase("data.mistat.intl.xiaomi.com", DestinationClass.Vendor)]
    [TestCase("api.ad.intl.xiaomi.com", DestinationClass.Vendor)]
    [TestCase("MI.COM", DestinationClass.Vendor)]
    [TestCase("notmi.com", DestinationClass.ThirdParty)]
    [TestCase("www.google-analytics.com", DestinationClass.ThirdParty)]
    public void Classifies_by_host_suffix(string host, DestinationClass expected) => Assert.That(_c.Classify(host), Is.EqualTo(expected));

    [Test]
    public void Sensors_shaped_endpoint_under_any_name_is_vendor()
    {
        Assert.That(_c.Classify("telemetry.example.org", "https://telemetry.example.org/sa?project=global_browser&r=EU"), Is.EqualTo(DestinationClass.Vendor));
        Assert.That(_c.Classify("telemetry.example.org", "https://telemetry.example.org/sa?r=EU"), Is.EqualTo(DestinationClass.ThirdParty));
    }

    [Test]
    public void Destinations_file_replaces_vendor_list_and_adds_intended()
    {
        var c = DestinationClassifier.Parse(Encoding.UTF8.GetBytes("{\"vendor\":[\"vendor.example\"],\"intended\":[\"bing.com\"]}"), "d.json", ["zqaaaa.canary.test"]);
        Assert.That(c.Classify("a.vendor.example"), Is.EqualTo(DestinationClass.Vendor));
        Assert.That(c.Classify("sa.api.intl.miui.com"), Is.EqualTo(DestinationClass.ThirdParty));
        Assert.That(c.Classify("www.bing.com"), Is.EqualTo(DestinationClass.Intended));
        Assert.That(c.Classify("zqaaaa.canary.test"), Is.EqualTo(DestinationClass.Intended));
        var e = Assert.Throws<BadInputException>(() => DestinationClassifier.Parse(Encoding.UTF8.GetBytes("{\"vendor\":[1]}"), "d.json", []))!;
        Assert.That(e.Field, Is.EqualTo("vendor[0]"));
    }
}
