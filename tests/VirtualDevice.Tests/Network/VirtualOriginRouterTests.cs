using System.Text;
using System.Text.Json.Nodes;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.Tests.Network;

[TestFixture]
public sealed class VirtualOriginRouterTests
{
    private static VirtualInternetRequest Request(string host, string method, string target) =>
        new(1, DateTimeOffset.UnixEpoch, true, host, host, method, target, [], []);

    [Test]
    public void Connectivity_checks_answer_204()
    {
        var router = new VirtualOriginRouter();

        Assert.That(router.Route(Request("connectivitycheck.gstatic.com", "GET", "/generate_204")).StatusCode, Is.EqualTo(204));
        Assert.That(router.Route(Request("connect.rom.miui.com", "GET", "/generate_204")).StatusCode, Is.EqualTo(204));
    }

    [Test]
    public void Sensors_upload_and_config_fetch()
    {
        var router = new VirtualOriginRouter();

        var upload = router.Route(Request("sa.api.intl.miui.com", "POST", "/sa?project=global_browser_mini&r=IN"));
        var config = router.Route(Request("sa.api.intl.miui.com", "GET", "/config/Android.conf?project=global_browser_mini"));

        Assert.That(Encoding.UTF8.GetString(upload.Body), Is.EqualTo("{\"code\":0}"));
        Assert.That(JsonNode.Parse(config.Body)!["configs"]!["disableSDK"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public void Any_other_url_gets_a_titled_page_and_custom_titles_and_hosts_apply()
    {
        var router = new VirtualOriginRouter()
            .AddPage("canary.example", "/a", "Canary A")
            .MapHost("sync.example", r => r.Path == "/history" ? VirtualOriginResponse.Json("{\"synced\":true}") : null);

        Assert.That(Encoding.UTF8.GetString(router.Route(Request("news.example", "GET", "/x/y?z=1")).Body), Does.Contain("<title>news.example/x/y</title>"));
        Assert.That(Encoding.UTF8.GetString(router.Route(Request("canary.example", "GET", "/a")).Body), Does.Contain("<title>Canary A</title>"));
        Assert.That(Encoding.UTF8.GetString(router.Route(Request("sync.example", "POST", "/history")).Body), Is.EqualTo("{\"synced\":true}"));
        Assert.That(router.Route(Request("sync.example", "GET", "/generate_204")).StatusCode, Is.EqualTo(204), "null from a custom handler falls back");
    }

    [Test]
    public void Duckduckgo_suggestions_are_phrases()
    {
        var answer = new VirtualOriginRouter().Route(Request("duckduckgo.com", "GET", "/ac/?q=tax+advice&kl=wt-wt"));

        Assert.That(JsonNode.Parse(answer.Body)![0]!["phrase"]!.GetValue<string>(), Is.EqualTo("tax advice news"));
    }
}
