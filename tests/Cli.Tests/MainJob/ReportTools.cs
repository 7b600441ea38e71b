using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.TestSupport;

namespace Harness.Cli.Tests.MainJob;

/// <summary>The Allure CLI of `npm ci` (node_modules/.bin/allure) and headless Chromium, run as run.ps1 and a reader would.</summary>
internal static class ReportTools
{
    public static string LocateAllure()
    {
        var path = Path.Combine(BuiltCli.FindRepositoryRoot(), "node_modules", ".bin", "allure");
        if (File.Exists(path)) return path;
        var message = $"the Allure CLI is required for this test: run `npm ci` in {BuiltCli.FindRepositoryRoot()} (installs npm allure 3.18.0 into node_modules)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
        else Assert.Ignore(message);
        return null!;
    }

    /// <summary>
    /// `allure generate RESULTS -o REPORT -c allurerc.mjs` with the awesome report as one self-contained HTML file, so
    /// it opens from file:// (run.ps1 writes the same configuration).
    /// </summary>
    public static Task<(int ExitCode, string Output)> GenerateAsync(string results, string report, string configDirectory)
    {
        var config = Path.Combine(configDirectory, "allurerc.mjs");
        var options = new { name = "Browser leak suite", output = report, plugins = new { awesome = new { options = new { singleFile = true, reportLanguage = "en" } } } };
        File.WriteAllText(config, "export default " + JsonSerializer.Serialize(options) + ";\n");
        return RunAsync(LocateAllure(), ["generate", results, "-o", report, "-c", config], TimeSpan.FromMinutes(3));
    }

    public static string LocateChromium() => RequiredTool.Locate("chromium", "apt-get install chromium");

    public static Task<(int ExitCode, string Output)> ScreenshotAsync(string url, string png) =>
        RunAsync(LocateChromium(), [.. ChromiumFlags, $"--screenshot={png}", "--window-size=1400,900", url], TimeSpan.FromMinutes(2));

    public static Task<(int ExitCode, string Output)> DumpDomAsync(string url) =>
        RunAsync(LocateChromium(), [.. ChromiumFlags, "--dump-dom", url], TimeSpan.FromMinutes(2), stdoutOnly: true);

    // The report is a single page app: give its scripts virtual time to render before the capture. No network: file:// only.
    private static readonly string[] ChromiumFlags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000", "--no-first-run", "--disable-extensions", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"];

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, bool stdoutOnly = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}");
        }
        var output = new StringBuilder(await stdout);
        if (!stdoutOnly) output.Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
