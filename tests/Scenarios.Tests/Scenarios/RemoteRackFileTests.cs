using System.Text;
using Harness.Core;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>devices.json beyond one host: "connect" and "pair" entries, the STF provider and its requests, shards.</summary>
[TestFixture]
public sealed class RemoteRackFileTests
{
    private static RackFile Parse(string json, Dictionary<string, string>? environment = null) =>
        RackFile.Parse(Encoding.UTF8.GetBytes(json), "devices.json", name => environment?.GetValueOrDefault(name));

    [Test]
    public void A_connect_entry_is_named_by_its_address_and_carries_its_pairing_code_from_the_environment()
    {
        var rack = Parse("""{"devices":[{"connect":"192.168.1.20:5555","pair":{"address":"192.168.1.20:37123","code-env":"CODE"}},{"serial":"R58M"}]}""",
            new() { ["CODE"] = "123456" });
        Assert.That(rack.Devices.Select(d => d.Serial), Is.EqualTo(new[] { "192.168.1.20:5555", "R58M" }));
        var link = rack.Devices[0].Link!;
        Assert.That((link.Host, link.Port, link.PairEndpoint, link.PairingCode), Is.EqualTo(("192.168.1.20", 5555, "192.168.1.20:37123", "123456")));
        Assert.That(rack.Devices[1].Link, Is.Null, "a USB phone");
    }

    [Test]
    public void An_stf_provider_with_requests_by_serial_and_by_filter()
    {
        var rack = Parse("""{"provider":{"stf":{"url":"https://stf.example.org","token-env":"T"}},"devices":[{"stf":{"serial":"R58M"}},{"stf":{"model":"Mi 10","sdk":34}}]}""",
            new() { ["T"] = "tok" });
        Assert.That(rack.Devices, Is.Empty, "rented phones are known only once reserved");
        Assert.That(rack.Stf!.Url, Is.EqualTo(new Uri("https://stf.example.org")));
        Assert.That(rack.Stf.Token, Is.EqualTo("tok"));
        Assert.That(rack.Stf.Requests, Is.EqualTo(new[] { new StfDeviceRequest("R58M", null, null), new StfDeviceRequest(null, "Mi 10", 34) }));
        var free = new StfDevice("A", "Mi 10", 34, Present: true, Ready: true, Using: false, Owner: null);
        Assert.That(rack.Stf.Requests[1].Matches(free) && free.Available, Is.True);
        Assert.That((free with { Using = true }).Available, Is.False, "a phone in use is not taken by a filter");
        Assert.That(rack.Stf.Requests[1].Matches(free with { Sdk = 29 }), Is.False);
    }

    [TestCase("""{"devices":[{"stf":{"serial":"R58M"}}]}""", "provider", "need \"provider\"")]
    [TestCase("""{"provider":{"stf":{"url":"https://s","token":"x","token-env":"T"}},"devices":[{"stf":{"serial":"R"}}]}""", "provider.stf.token", "does not belong")]
    [TestCase("""{"provider":{"stf":{"url":"https://s","token-env":"UNSET"}},"devices":[{"stf":{"serial":"R"}}]}""", "provider.stf.token-env", "not set")]
    [TestCase("""{"provider":{"stf":{"url":"ftp://s","token-env":"T"}},"devices":[{"stf":{"serial":"R"}}]}""", "provider.stf.url", "farm's address")]
    [TestCase("""{"provider":{"stf":{"url":"https://s","token-env":"T"}},"devices":[{"stf":{"serial":"R","model":"M"}}]}""", "devices[0].stf", "not both")]
    [TestCase("""{"adb":"203.0.113.9:5037","devices":[{"serial":"R"}]}""", "adb", "on another host")]
    public void Mistakes_are_refused_with_their_field(string json, string field, string message)
    {
        var e = Assert.Throws<BadInputException>(() => Parse(json, new() { ["T"] = "tok" }))!;
        Assert.That(e.Field, Is.EqualTo(field), e.Describe());
        Assert.That(e.Message, Does.Contain(message));
        Assert.That(e.Line, Is.Not.Null, "with its line");
    }

    [TestCase(1, new[] { "a", "b" })]
    [TestCase(2, new[] { "c", "d", "e" })]
    public void A_shard_is_a_contiguous_slice(int index, string[] expected) =>
        Assert.That(new RackShard(index, 2).Slice(new[] { "a", "b", "c", "d", "e" }), Is.EqualTo(expected));

    [Test]
    public void Shards_cover_every_item_once() =>
        Assert.That(Enumerable.Range(1, 3).SelectMany(k => new RackShard(k, 3).Slice(Enumerable.Range(0, 7).ToList())), Is.EqualTo(Enumerable.Range(0, 7)));

    [Test]
    public void Shards_slice_the_rack_phones_then_the_rented_ones_and_with_fewer_phones_than_shards_the_cases()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rack-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"provider":{"stf":{"url":"https://s","token-env":"HOME"}},"devices":[{"serial":"A"},{"stf":{"serial":"F1"}},{"stf":{"model":"Mi 10"}}]}""");
        try
        {
            var scenarios = RepositoryPaths.ScenariosDirectory;
            var first = RackSelection.Load(file, scenarios, shard: new RackShard(1, 2)).RunOptions("out");
            var second = RackSelection.Load(file, scenarios, shard: new RackShard(2, 2)).RunOptions("out");
            Assert.That((first.Serials, first.Stf), Is.EqualTo((new[] { "A" }, (StfSettings?)null)), "shard 1 of [A, F1, Mi 10]: A only, nothing rented");
            Assert.That(second.Serials, Is.Empty);
            Assert.That(second.Stf!.Requests, Is.EqualTo(new[] { new StfDeviceRequest("F1", null, null), new StfDeviceRequest(null, "Mi 10", null) }));
            Assert.That(first.CaseShard, Is.Null);
            var cases = RackSelection.Load(file, scenarios, shard: new RackShard(2, 4)).RunOptions("out");
            Assert.That(cases.CaseShard, Is.EqualTo(new RackShard(2, 4)), "3 phones, 4 shards: every phone runs its second quarter of cases");
            Assert.That(cases.Serials, Is.EqualTo(new[] { "A" }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase("0/2")]
    [TestCase("3/2")]
    [TestCase("1-2")]
    [TestCase("a/b")]
    public void A_bad_shard_is_refused(string text) =>
        Assert.That(Assert.Throws<BadInputException>(() => RackShard.Parse(text))!.Field, Is.EqualTo("--shard"));
}
