using System.Text;
using Harness.Core;

namespace Harness.Leaks.Tests;

public sealed class CanarySetTests
{
    [Test]
    public void Generated_set_has_every_kind_url_built_from_its_parts_and_tokens_not_substrings_of_each_other()
    {
        var set = CanarySet.Generate(new Random(5));
        Assert.That(set.Canaries.Select(c => c.Kind), Is.EquivalentTo(Enum.GetValues<CanaryKind>()));
        var host = set.Get(CanaryKind.Host)!.Value;
        var url = set.Get(CanaryKind.Url)!.Value;
        Assert.That(url, Is.EqualTo($"https://{host}/{set.Get(CanaryKind.Path)!.Value}?q={set.Get(CanaryKind.Query)!.Value}"));
        Assert.That(set.IntendedHosts, Is.EqualTo(new[] { host }));
        var tokens = set.Canaries.Where(c => c.Kind is not (CanaryKind.Url or CanaryKind.Host)).Select(c => c.Value).Append(host.Split('.')[0]).ToList();
        foreach (var a in tokens)
        {
            Assert.That(a, Does.Match("^zq[a-z2-7]{16}$"));
            foreach (var b in tokens.Where(b => !ReferenceEquals(a, b))) Assert.That(b, Does.Not.Contain(a));
        }
    }

    [Test]
    public void Different_runs_get_different_canaries()
    {
        Assert.That(CanarySet.Generate(new Random(1)).Get(CanaryKind.Query)!.Value, Is.Not.EqualTo(CanarySet.Generate(new Random(2)).Get(CanaryKind.Query)!.Value));
    }

    [Test]
    public void Json_round_trips_in_the_issue_format()
    {
        var set = CanarySet.Generate(new Random(9), searchEngineHosts: ["www.google.com"]);
        var json = set.ToJson();
        Assert.That(json, Does.Contain("\"canaries\"").And.Contain("\"kind\": \"url\"").And.Contain("\"intended\""));
        var back = CanarySet.FromJson(json);
        Assert.That(back.Canaries, Is.EqualTo(set.Canaries));
        Assert.That(back.IntendedHosts, Is.EqualTo(set.IntendedHosts));
    }

    [Test]
    public void Unknown_kind_names_file_line_and_field()
    {
        const string json = "{\n  \"canaries\": [\n    {\"kind\": \"url\", \"value\": \"https://a.test/\"},\n    {\"kind\": \"colour\", \"value\": \"x\"}\n  ]\n}";
        var e = Assert.Throws<BadInputException>(() => CanaryFileReader.Parse(Encoding.UTF8.GetBytes(json), "c.json"))!;
        Assert.That(e.File, Is.EqualTo("c.json"));
        Assert.That(e.Line, Is.EqualTo(4));
        Assert.That(e.Field, Is.EqualTo("canaries[1].kind"));
        Assert.That(e.Describe(), Does.StartWith("c.json:4:").And.Contain("colour"));
    }

    [Test]
    public void Missing_value_and_broken_json_are_bad_input()
    {
        var missing = Assert.Throws<BadInputException>(() => CanaryFileReader.Parse("{\"canaries\":[{\"kind\":\"url\"}]}"u8, "c.json"))!;
        Assert.That(missing.Field, Is.EqualTo("canaries[0].value"));
        var broken = Assert.Throws<BadInputException>(() => CanaryFileReader.Parse("{\"canaries\":[\n{\"kind\":\"url\",,}]}"u8, "c.json"))!;
        Assert.That(broken.Line, Is.EqualTo(2));
        var empty = Assert.Throws<BadInputException>(() => CanaryFileReader.Parse("{\"intended\":[]}"u8, "c.json"))!;
        Assert.That(empty.Field, Is.EqualTo("canaries"));
    }
}
