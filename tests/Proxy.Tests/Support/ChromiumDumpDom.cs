using Harness.TestSupport;

namespace Harness.Proxy.Tests.Support;

/// <summary>Headless Chromium loads one URL through a proxy fixture (trusting its CA by SPKI) and prints the DOM.</summary>
internal static class ChromiumDumpDom
{
    public static async Task<ProcessResult> ThroughAsync(ProxyFixture fx, string url)
    {
        var chromium = RequiredTool.Locate("chromium", "apt-get install chromium");
        var profile = Directory.CreateTempSubdirectory("harness-chromium-").FullName;
        try
        {
            return await ProcessRunner.RunAsync(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile,
                "--proxy-server=" + fx.ProxyUrl,
                "--ignore-certificate-errors-spki-list=" + fx.Proxy.ChromiumSpkiList,
                "--dump-dom", url,
            ], timeoutSeconds: 90);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    /// <summary>What to show when the page was not there: the exit code and the end of stderr without D-Bus noise.</summary>
    public static string Describe(ProcessResult result) =>
        $"exit {result.ExitCode}; stderr tail: " + string.Join("\n", result.StdErr.Split('\n').Where(l => !l.Contains("dbus")).TakeLast(15));
}
