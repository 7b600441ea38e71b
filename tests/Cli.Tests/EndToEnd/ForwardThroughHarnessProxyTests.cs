using System.Diagnostics;
using System.Text.RegularExpressions;
using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.Flows;
using Harness.TestSupport;

namespace Harness.Cli.Tests.EndToEnd;

/// <summary>
/// `harness proxy --upstream forward --connect-to … --upstream-ca …` as a user runs it, in front of a real nginx origin
/// with its own CA that the test starts on loopback: curl gets the origin's page over HTTPS by name, an origin whose
/// certificate nobody trusts gives curl a 502, and the HAR written on SIGINT says who answered and why it failed.
/// </summary>
[TestFixture]
public sealed class ForwardThroughHarnessProxyTests
{
    [Test]
    public async Task Curl_gets_the_origins_page_through_connect_to_and_an_untrusted_origin_is_a_502_recorded_as_such()
    {
        var curl = RequiredTool.Locate("curl", "apt-get install curl");
        await using var origin = await NginxOrigin.StartAsync(["www.origin.test", "untrusted.origin.test"], "Through harness proxy");
        using var dir = new TempFolder();
        var store = dir.Combine("store");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     BuiltCli.DllPath, "proxy", "--listen", "127.0.0.1:0", "--store", store, "--ca-dir", dir.Combine("ca"), "--upstream", "forward",
                     "--connect-to", $"www.origin.test:443=127.0.0.1:{origin.TrustedPort}", "--connect-to", $"*.origin.test=127.0.0.1:{origin.UntrustedPort}",
                     "--upstream-ca", origin.CaPemPath,
                 })
            start.ArgumentList.Add(arg);
        using var proxy = Process.Start(start)!;
        var proxyErr = proxy.StandardError.ReadToEndAsync();
        try
        {
            var first = await proxy.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "";
            var port = Regex.Match(first, @"listening on 127\.0\.0\.1:(\d+) \(upstream forward");
            Assert.That(port.Success, Is.True, $"proxy did not start: {first} {(proxy.HasExited ? await proxyErr : "")}");
            var caPem = dir.Combine("ca.pem");
            Assert.That((await BuiltCli.RunAsync(["ca", "export", "--ca-dir", dir.Combine("ca"), "--format", "pem", "-o", caPem])).ExitCode, Is.EqualTo(0));

            async Task<(int Exit, string Out, string Err)> Curl(params string[] args)
            {
                var info = new ProcessStartInfo(curl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in new[] { "-sS", "--max-time", "30", "--noproxy", "", "--cacert", caPem, "-x", $"http://127.0.0.1:{port.Groups[1].Value}" }.Concat(args))
                    info.ArgumentList.Add(a);
                using var p = Process.Start(info)!;
                var output = p.StandardOutput.ReadToEndAsync();
                var error = p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                return (p.ExitCode, await output, await error);
            }

            var page = await Curl("https://www.origin.test/");
            Assert.That(page.Exit, Is.EqualTo(0), page.Err);
            Assert.That(page.Out, Is.EqualTo(NginxOrigin.PageFor("Through harness proxy")), "the origin's own page, over HTTPS, by name");
            var refused = await Curl("-o", "/dev/null", "-w", "%{http_code}", "https://untrusted.origin.test/");
            Assert.That(refused.Out, Is.EqualTo("502"), "an origin nobody trusts is never silently accepted");

            using var kill = Process.Start("kill", ["-INT", proxy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            await proxy.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!proxy.HasExited) proxy.Kill(entireProcessTree: true);
        }
        var flows = HarReader.ReadFile(Path.Combine(store, "capture.har"));
        var answered = flows.Single(f => f.Url == "https://www.origin.test/");
        Assert.That(answered.Tags["answeredBy"], Is.EqualTo("upstream"));
        Assert.That(answered.StatusCode, Is.EqualTo(200));
        var failed = flows.Single(f => f.Url == "https://untrusted.origin.test/");
        Assert.That(failed.Error!.Kind, Is.EqualTo(FlowErrorKind.UpstreamError));
        Assert.That(failed.Tags["upstreamFailure"], Is.EqualTo("tls"), failed.Error.Message);
    }

    [TestCase("--connect-to", "www.origin.test", "--connect-to")]
    [TestCase("--upstream-ca", "/no/such/lab-ca.pem", "--upstream-ca")]
    [TestCase("--upstream", "direct", "--upstream")]
    public async Task A_bad_upstream_option_is_exit_3_naming_it(string option, string value, string field)
    {
        using var dir = new TempFolder();
        string[] mode = option == "--upstream" ? [] : ["--upstream", "forward"];
        var result = await BuiltCli.RunAsync(["proxy", "--listen", "127.0.0.1:0", "--store", dir.Combine("store"), "--ca-dir", dir.Combine("ca"), .. mode, option, value]);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.Contain(field + ": "), result.ToString());
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }
}
