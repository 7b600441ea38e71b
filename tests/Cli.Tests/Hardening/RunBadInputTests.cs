using System.Text;
using Harness.Core;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Malformed rack, scenario and browser-profile files given to `harness run`, through the built CLI: refused before any
/// phone is touched, with exit 3 and one line naming file, line and field, and no stack trace unless --verbose.
/// The rack names a phone that does not exist: reaching it would fail differently (exit 4), so exit 3 proves the refusal
/// came first.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RunBadInputTests
{
    private const string GoodRack = """{"devices":[{"serial":"127.0.0.1:1"}]}""";

    /// <summary>A scenarios folder as shipped (the repository's profiles and one scenario), for a test to damage.</summary>
    private static TempFolder ShippedScenarios(out string scenarios)
    {
        var dir = new TempFolder();
        var repo = BuiltCli.FindRepositoryRoot();
        scenarios = dir.Combine("scenarios");
        Directory.CreateDirectory(Path.Combine(scenarios, "browsers"));
        foreach (var profile in Directory.GetFiles(Path.Combine(repo, "scenarios", "browsers"), "*.yaml"))
            File.Copy(profile, Path.Combine(scenarios, "browsers", Path.GetFileName(profile)));
        File.Copy(Path.Combine(repo, "scenarios", "incognito-url.yaml"), Path.Combine(scenarios, "incognito-url.yaml"));
        return dir;
    }

    private static Task<CliResult> RunAsync(TempFolder dir, string devices, string scenarios, bool verbose = false) =>
        BuiltCli.RunAsync(["run", "--devices", devices, "--scenarios", scenarios, "--out", dir.Combine("out"), "--history", dir.Combine("history.db"),
            .. verbose ? new[] { "--verbose" } : []], workingDirectory: dir.Path);

    private static void AssertRefused(CliResult result, string file, int? line, string field)
    {
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        var output = result.Stderr + result.Stdout;
        Assert.That(output, Does.Contain(line is { } l ? $"{file}:{l}:" : file), "names the file (and line): " + result);
        Assert.That(output, Does.Contain($": {field}: "), "names the field: " + result);
        Assert.That(result.HasStackTrace, Is.False, "no stack trace without --verbose: " + result);
    }

    [Test]
    public async Task TruncatedDevicesJson_IsRefusedWithLineAndField()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var devices = dir.File("devices.json", "{\n \"devices\": [\n  {\"serial\": \"127.0.0.1:1\"");
        AssertRefused(await RunAsync(dir, devices, scenarios), devices, 3, "(json)");
    }

    [TestCase("{\n \"upstream\": {\"mode\": \"direct\"},\n \"devices\": [{\"serial\": \"127.0.0.1:1\"}]\n}", 2, "upstream.mode")]
    [TestCase("{\n \"upstream\": {\"connect-to\": [\n  \"api.example.com\"]},\n \"devices\": [{\"serial\": \"127.0.0.1:1\"}]\n}", 3, "upstream.connect-to[0]")]
    [TestCase("{\n \"upstream\": {\"ca\": \"no-such-lab-ca.pem\"},\n \"devices\": [{\"serial\": \"127.0.0.1:1\"}]\n}", 2, "upstream.ca")]
    [TestCase("{\n \"account\": {\"id-env\": \"HARNESS_TEST_UNSET_ID\", \"password-env\": \"HARNESS_TEST_UNSET_PW\"},\n \"devices\": [{\"serial\": \"127.0.0.1:1\"}]\n}", 2, "account.id-env")]
    public async Task BadUpstreamOrAccount_InTheRack_IsRefusedBeforeAnyPhone(string json, int line, string field)
    {
        using var dir = ShippedScenarios(out var scenarios);
        var devices = dir.File("devices.json", json);
        AssertRefused(await RunAsync(dir, devices, scenarios), devices, line, field);
    }

    [TestCase("--upstream", "direct", "--upstream")]
    [TestCase("--account-env", "HARNESS_TEST_UNSET_ID:HARNESS_TEST_UNSET_PW", "--account-env")]
    [TestCase("--account-env", "ONLY_ONE_NAME", "--account-env")]
    public async Task BadUpstreamOrAccountOption_IsRefusedBeforeAnyPhone(string option, string value, string field)
    {
        using var dir = ShippedScenarios(out var scenarios);
        var devices = dir.File("devices.json", GoodRack);
        var result = await BuiltCli.RunAsync(["run", "--devices", devices, "--scenarios", scenarios, "--out", dir.Combine("out"), "--history", dir.Combine("history.db"), option, value],
            workingDirectory: dir.Path);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.StartWith(field + ": "), result.ToString());
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }

    [Test]
    public async Task DevicesJsonWithNumberSerial_NamesTheField()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var devices = dir.File("devices.json", "{\n \"devices\": [\n  {\"serial\": 5}\n ]\n}");
        // The line is not named yet for shape errors of the rack file (reported to the Scenarios owner).
        AssertRefused(await RunAsync(dir, devices, scenarios), devices, null, "devices[0].serial");
    }

    [Test]
    public async Task HugeDevicesJson_IsRefusedWithoutCrash()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var devices = dir.Combine("devices.json");
        await File.WriteAllTextAsync(devices, "{\"devices\":" + new string('[', 16 * 1024 * 1024));
        AssertRefused(await RunAsync(dir, devices, scenarios), devices, 1, "(json)");
    }

    [Test]
    public async Task TruncatedScenario_IsRefusedWithLineAndField()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var scenario = dir.File("scenarios/broken.yaml", "name: broken\nclaim: y\nsteps:\n  - open-url: [1, 2\n");
        AssertRefused(await RunAsync(dir, dir.File("devices.json", GoodRack), scenarios), "broken.yaml", 5, "(syntax)");
    }

    [Test]
    public async Task ScenarioStepsOfWrongType_NameLineAndField()
    {
        using var dir = ShippedScenarios(out var scenarios);
        dir.File("scenarios/wrong.yaml", "name: wrong\nclaim: y\nsteps: 5\nexpectations: []\n");
        AssertRefused(await RunAsync(dir, dir.File("devices.json", GoodRack), scenarios), "wrong.yaml", 3, "steps");
    }

    [Test]
    public async Task HugeScenario_IsRefusedWithoutCrash()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var builder = new StringBuilder("name: huge\nclaim: ").Append('a', 16 * 1024 * 1024).Append("\nsteps: 5\nexpectations: []\n");
        await File.WriteAllTextAsync(Path.Combine(scenarios, "huge.yaml"), builder.ToString());
        AssertRefused(await RunAsync(dir, dir.File("devices.json", GoodRack), scenarios), "huge.yaml", 3, "steps");
    }

    [Test]
    public async Task ProfileWithListAsPackage_NamesLineAndField()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var profile = Path.Combine(scenarios, "browsers", "mint.yaml");
        var lines = (await File.ReadAllLinesAsync(profile)).ToList();
        var at = lines.FindIndex(l => l.StartsWith("package:", StringComparison.Ordinal));
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "the shipped profile has a package line");
        lines[at] = "package: [1, 2]";
        await File.WriteAllLinesAsync(profile, lines);
        AssertRefused(await RunAsync(dir, dir.File("devices.json", GoodRack), scenarios), "mint.yaml", at + 1, "package");
    }

    [TestCase("1")]
    [TestCase("7")]
    [TestCase("three")]
    public async Task DifferentialOutOfRange_IsRefusedWithLineColumnAndField(string value)
    {
        using var dir = ShippedScenarios(out var scenarios);
        var scenario = Path.Combine(scenarios, "incognito-url.yaml");
        var lines = (await File.ReadAllLinesAsync(scenario)).ToList();
        lines.Add("differential: " + value);
        await File.WriteAllLinesAsync(scenario, lines);
        var result = await RunAsync(dir, dir.File("devices.json", GoodRack), scenarios);
        AssertRefused(result, "incognito-url.yaml", lines.Count, "differential");
        Assert.That(result.Stderr + result.Stdout, Does.Contain($"incognito-url.yaml:{lines.Count}:15: differential: expected a whole number from 2 to 6"), result.ToString());
    }

    [Test]
    public async Task TruncatedProfile_IsRefusedWithLineAndField()
    {
        using var dir = ShippedScenarios(out var scenarios);
        var profile = Path.Combine(scenarios, "browsers", "mint.yaml");
        await File.AppendAllTextAsync(profile, "\nextra: {unclosed: [\n");
        var result = await RunAsync(dir, dir.File("devices.json", GoodRack), scenarios);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr + result.Stdout, Does.Match(@"mint\.yaml:\d+:\d+: \(syntax\): "), result.ToString());
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }
}
