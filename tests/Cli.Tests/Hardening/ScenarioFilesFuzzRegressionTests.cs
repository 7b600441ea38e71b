using System.Text;
using Harness.Core;
using Harness.Scenarios;

namespace Harness.Cli.Tests.Hardening;

/// <summary>Crashes the `scenario-yaml` and `devices-json` fuzz targets (tests/fuzz) found in the scenario layer's loaders.</summary>
[TestFixture]
public sealed class ScenarioFilesFuzzRegressionTests
{
    [TestCase("!!!!!!!!!!!![d: x", TestName = "Scenario_InvalidGlobalTag_IsBadInput_NotArgumentException")]
    [TestCase("\0: x", TestName = "Scenario_NulAsKey_IsBadInput_NotArgumentException")]
    public void MalformedScenarioYaml_IsBadInputNamingTheFile(string yaml)
    {
        // Found by afl: YamlDotNet threw ArgumentException out of ScenarioLoader.Parse.
        var e = Assert.Throws<BadInputException>(() => ScenarioLoader.Parse(yaml, "scenario.yaml"))!;
        Assert.That(e.File, Is.EqualTo("scenario.yaml"));
        Assert.That(e.Line, Is.Not.Null);
    }

    [Test]
    public void DevicesJson_WithInvalidUtf8_IsBadInput_NotInvalidOperationException()
    {
        // Found by afl: a serial with a byte that is not UTF-8 made RackFile.Parse throw InvalidOperationException.
        var json = Encoding.UTF8.GetBytes("{\"devices\":[{\"serial\":\"ab\"}]}");
        json[json.Length - 6] = 0xFF;
        var e = Assert.Throws<BadInputException>(() => RackFile.Parse(json, "devices.json"))!;
        Assert.That(e.File, Is.EqualTo("devices.json"));
        Assert.That(e.Line, Is.EqualTo(1));
    }

    [Test]
    public void DevicesJson_ShapeError_NamesTheLine()
    {
        var json = Encoding.UTF8.GetBytes("{\n  \"adb\": \"127.0.0.1:5037\",\n  \"devices\": [\n    { \"name\": \"no serial\" }\n  ]\n}\n");
        var e = Assert.Throws<BadInputException>(() => RackFile.Parse(json, "devices.json"))!;
        Assert.That(e.Field, Is.EqualTo("devices[0].serial"));
        Assert.That(e.Line, Is.EqualTo(4), e.Describe());
    }
}
