using System.Diagnostics;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// run.ps1 through the repository's PowerShell tool (`dotnet pwsh`): its help, and usage errors that must exit 3
/// before anything is built or started. The full run is covered by the suite tests and the README's shipped run.
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
        Assert.That(documented, Is.SupersetOf(new[] { "Devices", "Scenario", "Browser", "ProxyPort", "Out", "Settle", "Open", "Nightly", "Apks" }));
    }

    [TestCase("-Devices", "no-such-devices.json", "no such file")]
    [TestCase("-Nightly", null, "-Nightly needs -Apks")]
    [TestCase("-Settle", "-5", "zero or more seconds")]
    [TestCase("-Browser", "netscape", "no profile 'netscape'")]
    [TestCase("-Scenario", "no-such-scenario-*", "no scenario matches")]
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
        var repo = BuiltCli.FindRepositoryRoot();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("pwsh");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet pwsh");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0 && (output.Contains("dotnet tool restore", StringComparison.Ordinal) || output.Contains("Could not execute because the specified command or file was not found", StringComparison.Ordinal)))
        {
            var message = "PowerShell is a local dotnet tool: run `dotnet tool restore` first";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Ignore(message);
        }
        return (process.ExitCode, output);
    }
}
