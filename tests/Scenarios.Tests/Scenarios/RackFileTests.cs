using System.Text;
using Harness.Core;

namespace Harness.Scenarios.Tests.Scenarios;

[TestFixture]
public sealed class RackFileTests
{
    [Test]
    public void The_shipped_devices_json_loads_with_its_virtual_blocks_ignored()
    {
        var rack = RackFile.Load(Path.Combine(Path.GetDirectoryName(RepositoryPaths.ScenariosDirectory)!, "devices.json"));
        Assert.That(rack.AdbEndpoint, Is.EqualTo("127.0.0.1:5037"));
        Assert.That(rack.Devices.Select(d => d.Serial), Is.EqualTo(new[] { "127.0.0.1:5611", "127.0.0.1:5613" }));
        Assert.That(rack.Devices.All(d => d.IsVirtual), Is.True);
    }

    [TestCase("""{"devices":[]}""", "devices", "no phones listed")]
    [TestCase("""{"devices":[{"model":"x"}]}""", "devices[0].serial", "needs its adb serial")]
    [TestCase("""{"devices":[{"serial":"a"},{"serial":"a"}]}""", "devices[1].serial", "listed twice")]
    [TestCase("""{"adb":"localhost","devices":[{"serial":"a"}]}""", "adb", "HOST:PORT")]
    [TestCase("""{"devices":[{"serial":"a"}""", "(json)", "not valid JSON")]
    public void A_bad_rack_file_names_the_field(string json, string field, string hint)
    {
        var error = Assert.Throws<BadInputException>(() => RackFile.Parse(Encoding.UTF8.GetBytes(json), "devices.json"))!;
        Assert.That(error.File, Is.EqualTo("devices.json"));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain(hint));
    }
}
