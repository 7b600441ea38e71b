using System.Diagnostics;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// The short soak (≈30 s of bench/Soak): a steady stream of flows through a real `harness proxy` process; every answered
/// request must be stored and the proxy's RSS must not grow from the first to the last window. The 10-minute run is
/// `dotnet bench/Soak/bin/Release/net10.0/Soak.dll` (README "Hardening").
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SoakShortTests
{
    [Test]
    public async Task ThirtySecondsOfFlows_NoneLost_MemoryFlat()
    {
        var repo = BuiltCli.FindRepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var project = Path.Combine(repo, "bench", "Soak", "Soak.csproj");
        var output = Path.Combine(Path.GetTempPath(), "harness-soak-build-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // bench/Soak is outside the solution (a bench), so it is built here, into a private folder.
            var build = await RunAsync("dotnet", ["build", project, "-c", configuration, "-o", output, "-nologo", "-v", "q"], TimeSpan.FromMinutes(5));
            Assert.That(build.ExitCode, Is.EqualTo(0), "bench/Soak build failed:\n" + build.Output);

            var soak = await RunAsync("dotnet", [Path.Combine(output, "Soak.dll"), "--seconds", "30", "--rate", "50", "--harness", BuiltCli.DllPath], TimeSpan.FromMinutes(4));
            TestContext.Progress.WriteLine(soak.Output);
            Assert.That(soak.Output, Does.Contain("none lost"), soak.Output);
            Assert.That(soak.Output, Does.Contain(", flat)"), soak.Output);
            Assert.That(soak.ExitCode, Is.EqualTo(0), soak.Output);
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in {timeout}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
