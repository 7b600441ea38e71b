using System.Diagnostics;
using System.Net;
using System.Text;
using Harness.Evidence.Signing;
using Harness.Proxy;
using Harness.Proxy.Certificates;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// The CA key can intercept every lab phone and the signing key vouches for evidence: both owner-only on disk, and
/// neither ever in a bundle, a flow store or the proxy's output. The proxy listens on loopback unless told otherwise.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class KeyMaterialTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                              | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Test]
    public void CaKeyAndDirectory_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("Unix file modes only");
        using var dir = new TempFolder();
        var caDir = dir.Combine("ca");
        using (CertificateAuthority.LoadOrCreate(caDir)) { }
        Assert.That(File.GetUnixFileMode(Path.Combine(caDir, CertificateAuthority.KeyFileName)), Is.EqualTo(OwnerReadWrite));
        Assert.That(File.GetUnixFileMode(caDir) & GroupOrOther, Is.EqualTo((UnixFileMode)0));
    }

    [Test]
    public async Task SigningKey_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("Unix file modes only");
        using var dir = new TempFolder();
        var store = new SigningKeyStore(dir.Combine("signing"));
        using (await store.LoadOrCreateAsync(CancellationToken.None)) { }
        Assert.That(File.GetUnixFileMode(store.PrivateKeyPath) & GroupOrOther, Is.EqualTo((UnixFileMode)0));
        Assert.That(File.GetUnixFileMode(store.PrivateKeyPath) & OwnerReadWrite, Is.EqualTo(OwnerReadWrite));
    }

    [Test]
    public async Task NonLoopbackListen_WithoutAllowRemote_IsRefusedBeforeAnythingStarts()
    {
        using var dir = new TempFolder();
        var caDir = dir.Combine("ca");
        var result = await BuiltCli.RunAsync(["proxy", "--listen", "0.0.0.0:0", "--store", dir.Combine("store"), "--ca-dir", caDir]);
        Assert.That(result.ExitCode, Is.EqualTo((int)Harness.Core.ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--allow-remote"), result.ToString());
        Assert.That(Directory.Exists(caDir), Is.False, "refused before a CA was even created");
    }

    [Test]
    public void ProxyLibrary_DefaultsToLoopback_AndRefusesRemoteWithoutConsent()
    {
        using var dir = new TempFolder();
        using var ca = CertificateAuthority.LoadOrCreate(dir.Combine("ca"));
        Assert.That(IPAddress.IsLoopback(new InterceptingProxyOptions().ListenEndPoint.Address), Is.True);
        Assert.Throws<InvalidOperationException>(() => _ = new InterceptingProxy(new InterceptingProxyOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Any, 0), CertificateAuthority = ca,
        }));
    }

    [Test]
    public async Task KeysNeverReachTheStoreTheLogsOrTheBundle()
    {
        using var dir = new TempFolder();
        var caDir = dir.Combine("ca");
        var store = dir.Combine("store");
        var signingDir = dir.Combine("signing");

        // A real proxy process, intercepting TLS (so leaf keys are made too), stopped the way a user stops it.
        var (stdout, stderr) = await RunProxyThroughOneHttpsRequestAsync(caDir, store);

        var canaries = dir.File("in/canaries.json", """{"canaries":[{"kind":"url","value":"https://canary-q7x.example/p"}]}""");
        var bundle = await SampleBundle.CreateAsync(dir, caDir, signingDir, Path.Combine(store, "capture.har"), canaries);

        var secrets = new Dictionary<string, byte[]>();
        foreach (var (name, path) in new[] { ("CA key", Path.Combine(caDir, CertificateAuthority.KeyFileName)), ("signing key", new SigningKeyStore(signingDir).PrivateKeyPath) })
        {
            var pem = await File.ReadAllTextAsync(path);
            var base64 = string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
            secrets[name + " (base64)"] = Encoding.ASCII.GetBytes(base64[..Math.Min(48, base64.Length)]);
            secrets[name + " (DER)"] = Convert.FromBase64String(base64);
        }
        secrets["PEM private key marker"] = "PRIVATE KEY"u8.ToArray();

        var places = new Dictionary<string, byte[]>
        {
            ["proxy stdout"] = Encoding.UTF8.GetBytes(stdout),
            ["proxy stderr"] = Encoding.UTF8.GetBytes(stderr),
        };
        foreach (var file in Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories)))
            places[file] = await File.ReadAllBytesAsync(file);

        Assert.That(places.Keys.Count(k => k.EndsWith(".har", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2), "the store and the bundle both hold a HAR");
        Assert.That(Encoding.UTF8.GetString(places[Path.Combine(store, "capture.har")]), Does.Contain("canary-q7x.example"), "the HAR holds the intercepted request");
        foreach (var (place, content) in places)
            foreach (var (secret, bytes) in secrets)
                Assert.That(content.AsSpan().IndexOf(bytes), Is.EqualTo(-1), $"{secret} found in {place}");
    }

    private static async Task<(string Stdout, string Stderr)> RunProxyThroughOneHttpsRequestAsync(string caDir, string store)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { BuiltCli.DllPath, "proxy", "--listen", "127.0.0.1:0", "--store", store, "--ca-dir", caDir, "--verbose" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = new StringBuilder();
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "";
            stdout.AppendLine(first);
            var match = System.Text.RegularExpressions.Regex.Match(first, @"listening on 127\.0\.0\.1:(\d+)");
            Assert.That(match.Success, Is.True, $"proxy did not start: {first} {(process.HasExited ? await stderrTask : "")}");
            using var handler = new HttpClientHandler
            {
                Proxy = new WebProxy($"http://127.0.0.1:{match.Groups[1].Value}"),
                UseProxy = true,
                // Trust decisions are not under test here: the proxy's leaf is signed by a fresh test CA.
                ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await client.GetAsync("https://canary-q7x.example/p?q=1");
            // Sinkhole mode answers locally: the request never leaves the machine.
            using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            stdout.Append(await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        Assert.That(File.Exists(Path.Combine(store, "capture.har")), Is.True, "the proxy wrote its HAR on SIGINT: " + stdout);
        return (stdout.ToString(), await stderrTask);
    }
}
