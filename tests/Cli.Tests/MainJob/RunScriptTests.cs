namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// run.ps1 through the repository's PowerShell tool (`dotnet pwsh`): its help, and usage errors that must exit 3
/// before anything is built or started. Whole runs and their exit codes: <see cref="RunScriptExitCodeTests"/>.
/// </summary>
[TestFixture]
public sealed class RunScriptTests
{
    [Test]
    public async Task GetHelpDescribesTheScriptAndItsParameters()
    {
        var (exit, output) = await PwshAsync("-NoProfile", "-Command",
            "$h = Get-Help ./run.ps1 -Full; $h.Synopsis; ($h.parameters.parameter | ForEach-Object name) -join ','; ($h.examples.example | Measure-Object).Count");
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("runs the NUnit leak suite"));
        var documented = output.Split('\n').Select(l => l.Trim()).First(l => l.Contains("Devices,", StringComparison.Ordinal)).Split(',');
        Assert.That(documented, Is.SupersetOf(new[] { "Devices", "Scenario", "Browser", "ProxyPort", "Out", "Settle", "Open", "Nightly", "Apks", "Upstream", "Account", "Shard" }));
    }

    [TestCase("-Devices", "no-such-devices.json", "no such file")]
    [TestCase("-Nightly", null, "-Nightly needs -Apks")]
    [TestCase("-Settle", "-5", "zero or more seconds")]
    [TestCase("-Browser", "netscape", "no profile 'netscape'")]
    [TestCase("-Scenario", "no-such-scenario-*", "no scenario matches")]
    [TestCase("-Shard", "3/2", "-Shard: '3/2' is not a shard")]
    [TestCase("-Upstream", "direct", "-Upstream: 'direct' is not an upstream mode")]
    [TestCase("-Account", "HARNESS_TEST_UNSET_ID:HARNESS_TEST_UNSET_PW", "-Account: environment variable HARNESS_TEST_UNSET_ID is not set")]
    public async Task UsageErrorsExitWith3AndSayWhatIsWrong(string parameter, string? value, string expected)
    {
        string[] args = value is null ? ["-NoProfile", "-File", "run.ps1", parameter] : ["-NoProfile", "-File", "run.ps1", parameter, value];
        var (exit, output) = await PwshAsync(args);
        Assert.That(exit, Is.EqualTo(3), output);
        Assert.That(output, Does.Contain(expected));
        Assert.That(output, Does.Not.Contain("==> build"), "nothing is built for a usage error");
    }

    private static async Task<(int ExitCode, string Output)> PwshAsync(params string[] args)
    {
        var result = await RunScriptProcess.RunAsync(args);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }
}
