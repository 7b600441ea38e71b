using System.Text;
using System.Text.Json.Nodes;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Signing;

namespace Harness.Evidence.Tests.Fakes;

/// <summary>Builds realistic bundles in a temp folder: a leaking incognito case and a clean one, with secrets in the HAR.</summary>
internal sealed class TestBundleFactory : IDisposable
{
    public const string UrlCanary = "https://canary-7f3a9c.example/secret-page";
    public const string SearchCanary = "canaryq-51d0e2";
    public static readonly string[] Secrets =
        ["Bearer sekret-bearer-123", "cookie-secret-456", "setcookie-secret-789", "pass-token-secret-abc", "svc-token-secret-def", "cuser-secret-ghi", "device-key-secret-jkl"];

    public TestBundleFactory()
    {
        Root = Path.Combine(Path.GetTempPath(), "evidence-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Keys = new SigningKeyStore(Path.Combine(Root, "keys"));
    }

    public string Root { get; }
    public SigningKeyStore Keys { get; }

    public string NewFolder(string name) => Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);

    public static string Har(bool leak, string tokenValue = "plain-token-value") => new JsonObject
    {
        ["log"] = new JsonObject
        {
            ["version"] = "1.2",
            ["creator"] = new JsonObject { ["name"] = "harness", ["version"] = "test" },
            ["entries"] = new JsonArray(
                Entry("f1", leak
                        ? $"https://tracking.intl.miui.com/track?u={Convert.ToBase64String(Encoding.UTF8.GetBytes(UrlCanary)).TrimEnd('=')}&passToken=pass-token-secret-abc"
                        : "https://tracking.intl.miui.com/track?u=nothing&passToken=pass-token-secret-abc",
                    [("Authorization", "Bearer sekret-bearer-123"), ("Cookie", "sid=cookie-secret-456; lang=en"), ("X-Device-Key", "device-key-secret-jkl")],
                    """{"serviceToken":"svc-token-secret-def","data":{"cUserId":"cuser-secret-ghi","token":"TOKEN"}}""".Replace("TOKEN", tokenValue),
                    [("Set-Cookie", "sess=setcookie-secret-789; Path=/; HttpOnly")]),
                Entry("f2", leak ? $"https://api.sec.miui.com/search?q={SearchCanary}" : "https://api.sec.miui.com/search?q=weather",
                    [("User-Agent", "Mint")], null, [])),
        },
    }.ToJsonString();

    private static JsonObject Entry(string flowId, string url, (string, string)[] headers, string? body, (string, string)[] responseHeaders)
    {
        var request = new JsonObject
        {
            ["method"] = body is null ? "GET" : "POST",
            ["url"] = url,
            ["httpVersion"] = "HTTP/1.1",
            ["headers"] = Pairs(headers),
            ["cookies"] = new JsonArray(),
            ["queryString"] = Pairs(new Uri(url).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => (p.Split('=')[0], p.Split('=')[1])).ToArray()),
            ["headersSize"] = -1,
            ["bodySize"] = -1,
        };
        if (body is not null) request["postData"] = new JsonObject { ["mimeType"] = "application/json", ["text"] = body };
        return new JsonObject
        {
            ["_flowId"] = flowId,
            ["startedDateTime"] = "2026-11-25T04:00:00.000Z",
            ["time"] = 12,
            ["request"] = request,
            ["response"] = new JsonObject
            {
                ["status"] = 200, ["statusText"] = "OK", ["httpVersion"] = "HTTP/1.1",
                ["headers"] = Pairs(responseHeaders), ["cookies"] = new JsonArray(),
                ["content"] = new JsonObject { ["size"] = 2, ["mimeType"] = "application/json", ["text"] = "{}" },
                ["redirectURL"] = "", ["headersSize"] = -1, ["bodySize"] = -1,
            },
            ["cache"] = new JsonObject(),
            ["timings"] = new JsonObject { ["send"] = 1, ["wait"] = 10, ["receive"] = 1 },
        };
    }

    private static JsonArray Pairs((string Name, string Value)[] pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["value"] = p.Value }).ToArray());

    public static string Canaries => new JsonObject
    {
        ["canaries"] = new JsonArray(
            new JsonObject { ["kind"] = "url", ["value"] = UrlCanary },
            new JsonObject { ["kind"] = "search-term", ["value"] = SearchCanary }),
    }.ToJsonString();

    /// <summary>Writes a complete bundle; <paramref name="lieAboutVerdict"/> records "pass" for the leaking case.</summary>
    public async Task<(string Folder, SealedBundle Sealed)> CreateSealedAsync(bool leak = true, bool lieAboutVerdict = false, string tokenValue = "plain-token-value")
    {
        var (folder, writer) = await CreateUnsealedAsync(leak, lieAboutVerdict, tokenValue);
        using var key = await Keys.LoadOrCreateAsync(CancellationToken.None);
        return (folder, await writer.SealAsync(key, CancellationToken.None));
    }

    public async Task<(string Folder, EvidenceBundleWriter Writer)> CreateUnsealedAsync(bool leak = true, bool lieAboutVerdict = false, string tokenValue = "plain-token-value")
    {
        var inputs = NewFolder("inputs");
        Directory.CreateDirectory(inputs);
        string Input(string name, string content)
        {
            var path = Path.Combine(inputs, name);
            File.WriteAllText(path, content);
            return path;
        }

        var folder = NewFolder("bundle");
        var writer = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions
        {
            BundleDirectory = folder, RunId = "run-" + Guid.NewGuid().ToString("N")[..8], HarnessVersion = "1.0.0-test", HarnessCommit = "abc123",
        }, CancellationToken.None);

        foreach (var (caseId, leaking) in new[] { ("mint-incognito-url", leak), ("mint-normal-control", false) })
        {
            var har = Har(leaking, tokenValue);
            var findings = SubstringRescanner.Scan(Encoding.UTF8.GetBytes(har), Encoding.UTF8.GetBytes(Canaries));
            var record = new CaseRecord
            {
                CaseId = caseId, Scenario = "visit-url", BrowserPackage = "com.mi.globalbrowser.mini", BrowserVersion = "1.6.3",
                DeviceSerial = "127.0.0.1:5555", DeviceModel = "Redmi Note 8", Mode = "incognito=on,sync=off",
                Verdict = lieAboutVerdict || findings.Count == 0 ? CaseVerdicts.Pass : CaseVerdicts.Fail,
                Findings = lieAboutVerdict ? [] : findings,
                StartedUtc = DateTimeOffset.Parse("2026-11-25T04:00:00Z"), StoppedUtc = DateTimeOffset.Parse("2026-11-25T04:01:00Z"),
            };
            await writer.AddCaseAsync(new CaseEvidence
            {
                Record = record,
                HarPath = Input(caseId + ".har", har),
                CanariesPath = Input(caseId + "-canaries.json", Canaries),
                ExpectationsPath = Input(caseId + "-expect.json", """{"mustNotReach":["vendor-analytics"]}"""),
                Screenshots = [Input(caseId + "-home.png", "\x89PNG fake screenshot " + caseId)],
                UiDumps = [Input(caseId + "-window.xml", "<hierarchy rotation=\"0\"/>")],
                LogcatPath = Input(caseId + "-logcat.txt", "11-25 04:00:00.000 I/Browser: started"),
            }, CancellationToken.None);
        }
        await writer.AddScenarioScriptAsync(Input("visit-url.yaml", "name: visit-url\nsteps: []\n"), CancellationToken.None);
        await writer.AddBrowserProfileAsync(Input("mint.yaml", "package: com.mi.globalbrowser.mini\n"), CancellationToken.None);
        await writer.AddDeviceFactsAsync(new DeviceFacts
        {
            Serial = "127.0.0.1:5555", Model = "Redmi Note 8", GetpropSnapshot = "[ro.product.model]: [Redmi Note 8]\n",
            PackageVersions = new Dictionary<string, string> { ["com.mi.globalbrowser.mini"] = "1.6.3" }, RootState = "not rooted",
            CaTrust = "none (Settings step failed)", CoverageLimits = ["CA in no trust store"],
        }, CancellationToken.None);
        await writer.AddDeviceFileAsync("127.0.0.1:5555", "user-ca-failed-step.png", [0x89, 0x50, 0x4E, 0x47], CancellationToken.None);
        await writer.AddProxyCaCertificateAsync(Input("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"), CancellationToken.None);
        return (folder, writer);
    }

    /// <summary>Copies a bundle folder so a test can damage the copy.</summary>
    public string Copy(string folder)
    {
        var target = NewFolder("copy");
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
