using Harness.Core;
using Harness.VirtualDevice.Rack;
using Harness.VirtualDevice.Tests.Browsers;

namespace Harness.VirtualDevice.Tests.Rack;

public sealed class VirtualRackFileTests
{
    [Test]
    public void The_shipped_devices_json_lists_its_virtual_phones_with_their_browsers()
    {
        var path = Path.Combine(BrowserRig.RepositoryRoot(), "devices.json");
        var specs = VirtualRackFile.Parse(File.ReadAllText(path), path);
        Assert.That(specs, Is.Not.Empty);
        Assert.That(specs.SelectMany(s => s.Apps).Select(a => a.Name), Does.Contain("mint@3.4.0"));
    }

    [Test]
    public void Virtual_entries_are_read_and_real_phones_skipped()
    {
        const string json = """
            { "devices": [
                { "serial": "R58M123ABC" },
                { "serial": "127.0.0.1:0", "virtual": { "model": "Mi 10", "port": 0, "rooted": false, "locale": "es-ES", "apps": ["mibrowser@12.1.4", "miuibrowser@13.0.1"], "timeFactor": 0.05 } }
            ] }
            """;
        var spec = VirtualRackFile.Parse(json, "devices.json").Single();
        Assert.That((spec.Model, spec.Port, spec.Rooted, spec.Locale, spec.TimeFactor), Is.EqualTo(("Mi 10", 0, (bool?)false, "es-ES", 0.05)));
        Assert.That(spec.Apps.Select(a => a.Name), Is.EqualTo(new[] { "mibrowser@12.1.4", "miuibrowser@13.0.1" }));
    }

    [TestCase("""{ "devices": [ { "virtual": { "model": "Pixel 9" } } ] }""", "devices[0].virtual.model", "unknown model")]
    [TestCase("""{ "devices": [ { "virtual": { "model": "Mi 10", "apps": ["mint@9.9.9"] } } ] }""", "devices[0].virtual.apps[0]", "unknown browser version")]
    [TestCase("""{ "devices": [ { "virtual": { "model": "Mi 10", "port": "x" } } ] }""", "devices[0].virtual.port", "port number")]
    [TestCase("""{ "devices": [ { "virtual": { "model": "Mi 10", "apps": ["mint@3.4.0", "mint@3.4.3"] } } ] }""", "devices[0].virtual.apps", "more than once")]
    [TestCase("""{ "devices": [ { "virtual": { "model": "Mi 10", "port": 6000 } }, { "virtual": { "model": "Mi A1", "port": 6000 } } ] }""", "devices[].virtual.port", "more than one")]
    public void Bad_entries_name_the_field(string json, string field, string message)
    {
        var error = Assert.Throws<BadInputException>(() => VirtualRackFile.Parse(json, "rack.json"))!;
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.File, Is.EqualTo("rack.json"));
    }

    [Test]
    public void Broken_json_names_line_and_column()
    {
        var error = Assert.Throws<BadInputException>(() => VirtualRackFile.Parse("{\n  \"devices\": [\n    { \"virtual\": { \"model\": } }\n  ]\n}", "rack.json"))!;
        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Column, Is.GreaterThan(1));
    }
}
