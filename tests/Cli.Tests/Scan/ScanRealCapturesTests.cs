using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Cli.Tests.Hardening;
using Harness.Core;

namespace Harness.Cli.Tests.Scan;

/// <summary>
/// `harness scan` through the built CLI on what real tools write: the real HAR exports of ../shared/real-world/har,
/// files with a byte order mark, form bodies exported as params only, base64 bodies, search terms whose spaces are
/// '+' inside a URL that is itself a value, WebSocket text only the server sent; and payloads nothing can read
/// (an encrypted Sensors upload, undecodable bytes), which are coverage gaps, never a pass.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ScanRealCapturesTests
{
    private const string SearchTerm = "zebra canary term";
    private const string CanaryUrl = "https://canary-q7x.example/p/article-77";
    private const string Vendor = "https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN";
    private const string Canaries = $$"""{"canaries":[{"kind":"search","value":"{{SearchTerm}}"},{"kind":"url","value":"{{CanaryUrl}}"}],"intended":["canary-q7x.example"]}""";

    private static async Task<CliResult> ScanAsync(TempFolder dir, string har, params string[] more) =>
        await BuiltCli.RunAsync(["scan", "--har", har, "--canaries", dir.File("canaries.json", Canaries), "--format", "json", .. more]);

    private static JsonDocument Report(CliResult result) => JsonDocument.Parse(result.Stdout);

    private static IEnumerable<string> Locations(CliResult result) =>
        Report(result).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("location").GetString()!);

    [Test]
    public async Task Every_real_world_har_is_read_and_judged_without_an_error()
    {
        var folder = Path.Combine(BuiltCli.FindRepositoryRoot(), "..", "shared", "real-world", "har");
        Assert.That(Directory.Exists(folder), Is.True, $"the real-world HAR exports are expected at {Path.GetFullPath(folder)} (shared/real-world/har beside the repository)");
        var hars = Directory.GetFiles(folder, "*.har").Order(StringComparer.Ordinal).ToList();
        Assert.That(hars, Is.Not.Empty, "no *.har in " + folder);
        using var dir = new TempFolder("scan-real");
        foreach (var har in hars)
        {
            foreach (var responses in new[] { false, true })
            {
                var result = await ScanAsync(dir, har, responses ? ["--responses"] : []);
                Assert.That(result.ExitCode, Is.AnyOf((int)ExitCode.AllPass, (int)ExitCode.LeakFound, (int)ExitCode.Inconclusive), $"{Path.GetFileName(har)}: {result}");
                Assert.That(result.Stderr, Is.Empty, $"{Path.GetFileName(har)}: {result}");
                Assert.That(Report(result).RootElement.GetProperty("coverage").GetProperty("flowsScanned").GetInt32(), Is.GreaterThan(0), Path.GetFileName(har));
            }
        }
    }

    [Test]
    public async Task Encrypted_sensors_upload_is_inconclusive_naming_host_and_reason()
    {
        using var dir = new TempFolder("scan-real");
        var random = new Random(15);
        string Base64Of(int n)
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            return Convert.ToBase64String(bytes);
        }
        // gzip=9 as the SDK sends it: a JSON batch of {ekey (RSA-wrapped AES key), pkv, payloads (AES ciphertexts)}.
        var dataList = $$"""[{"ekey":"{{Base64Of(256)}}","pkv":3,"payloads":["{{Base64Of(48)}}","{{Base64Of(80)}}"]}]""";
        var body = $"crc={JavaHashCode(dataList)}&gzip=9&data_list={Uri.EscapeDataString(dataList)}";
        var har = new ForeignHar();
        har.Post(Vendor, ForeignHar.Text("application/x-www-form-urlencoded", body));
        var result = await ScanAsync(dir, dir.File("capture.har", har.ToJson()));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), result.ToString());
        Assert.That(result.Stdout, Does.Contain("sa.api.intl.miui.com").And.Contain("opaque-payload").And.Contain("encrypted upload (gzip=9)"));
        var table = await BuiltCli.RunAsync(["scan", "--har", dir.Combine("capture.har"), "--canaries", dir.Combine("canaries.json")]);
        Assert.That(table.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), table.ToString());
        Assert.That(table.Stdout, Does.Contain("opaque-payload sa.api.intl.miui.com"), table.ToString());
    }

    [Test]
    public async Task Four_kib_of_undecodable_bytes_to_a_vendor_are_inconclusive_naming_host_size_and_reason()
    {
        using var dir = new TempFolder("scan-real");
        var bytes = new byte[4096];
        new Random(4).NextBytes(bytes);
        var har = new ForeignHar();
        var postData = ForeignHar.Text("application/octet-stream", Convert.ToBase64String(bytes));
        postData["encoding"] = "base64";
        har.Post("https://data.mistat.intl.xiaomi.com/upload", postData);
        var result = await ScanAsync(dir, dir.File("capture.har", har.ToJson()));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), result.ToString());
        var gap = Report(result).RootElement.GetProperty("coverage").GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "opaque-payload");
        Assert.That(gap.GetProperty("host").GetString(), Is.EqualTo("data.mistat.intl.xiaomi.com"));
        Assert.That(gap.GetProperty("detail").GetString(), Does.StartWith("body: 4096 bytes, binary with").And.Contain("ciphertext"));
    }

    [Test]
    public async Task Ordinary_json_telemetry_with_session_id_nonce_and_signature_passes()
    {
        using var dir = new TempFolder("scan-real");
        var random = new Random(5);
        var nonce = new byte[16];
        var signature = new byte[256];
        random.NextBytes(nonce);
        random.NextBytes(signature);
        var telemetry = new JsonObject
        {
            ["event"] = "page_view",
            ["session_id"] = "3f2a9c1e-7b4d-4e2a-9f1c-2d3e4f5a6b7c",
            ["nonce"] = Convert.ToBase64String(nonce),
            ["device_id"] = "a1b2c3d4e5f60718",
            ["ts"] = 1777629600000,
            ["signature"] = Convert.ToHexStringLower(signature[..32]),
            ["props"] = new JsonObject { ["screen"] = "1080x2340", ["net"] = "wifi", ["lang"] = "en-US" },
        }.ToJsonString();
        var jwtSignature = Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var har = new ForeignHar();
        har.Post("https://data.mistat.intl.xiaomi.com/v2/events", ForeignHar.Text("application/json", telemetry),
            ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ." + jwtSignature));
        var result = await ScanAsync(dir, dir.File("capture.har", har.ToJson()));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.AllPass), result.ToString());
    }

    [Test]
    public async Task Files_with_a_byte_order_mark_are_read()
    {
        using var dir = new TempFolder("scan-real");
        var har = new ForeignHar();
        har.Get("https://tracking.intl.miui.com/track/v1?u=" + Uri.EscapeDataString(CanaryUrl));
        var bom = Encoding.UTF8.GetPreamble();
        var harFile = dir.Combine("capture.har");
        var canaries = dir.Combine("canaries-bom.json");
        var destinations = dir.Combine("destinations.json");
        await File.WriteAllBytesAsync(harFile, [.. bom, .. Encoding.UTF8.GetBytes(har.ToJson())]);
        await File.WriteAllBytesAsync(canaries, [.. bom, .. Encoding.UTF8.GetBytes(Canaries)]);
        await File.WriteAllBytesAsync(destinations, [.. bom, .. """{"vendor":["miui.com"]}"""u8.ToArray()]);
        var result = await BuiltCli.RunAsync(["scan", "--har", harFile, "--canaries", canaries, "--destinations", destinations, "--format", "json"]);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), result.ToString());
        Assert.That(Report(result).RootElement.GetProperty("findings")[0].GetProperty("destination").GetString(), Is.EqualTo("vendor"));
    }

    [Test]
    public async Task A_form_exported_as_params_only_is_scanned()
    {
        using var dir = new TempFolder("scan-real");
        var har = new ForeignHar();
        har.Post(Vendor, new JsonObject
        {
            ["mimeType"] = "application/x-www-form-urlencoded",
            ["params"] = new JsonArray(new JsonObject { ["name"] = "event", ["value"] = "search" }, new JsonObject { ["name"] = "q", ["value"] = SearchTerm }),
        });
        var result = await ScanAsync(dir, dir.File("capture.har", har.ToJson()));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), result.ToString());
        Assert.That(Locations(result), Does.Contain("body > form:q"));
    }

    [Test]
    public async Task A_body_marked_base64_is_decoded_before_it_is_scanned()
    {
        using var dir = new TempFolder("scan-real");
        var har = new ForeignHar();
        var postData = ForeignHar.Text("application/json", Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"kw":"{{SearchTerm}}"}""")));
        postData["encoding"] = "base64";
        har.Post(Vendor, postData);
        var result = await ScanAsync(dir, dir.File("capture.har", har.ToJson()));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), result.ToString());
        Assert.That(Locations(result), Does.Contain("body > json $.kw"), "found in the decoded body, not through a base64 walk of the text");
    }

    [Test]
    public async Task Plus_spaced_search_terms_inside_nested_urls_are_found()
    {
        using var dir = new TempFolder("scan-real");
        var search = "https://duckduckgo.com/?q=" + SearchTerm.Replace(' ', '+');
        var har = new ForeignHar();
        har.Get("https://api.ad.intl.xiaomi.com/ping", ("Referer", search));
        har.Post(Vendor, ForeignHar.Text("application/json", $$$"""{"event":"$pageview","properties":{"$url":"{{{Uri.EscapeDataString(search)}}}"}}"""));
        har.Get("https://tracking.intl.miui.com/track/v1?redirect=" + Uri.EscapeDataString(search));
        var result = await ScanAsync(dir, dir.File("capture.har", har.ToJson()));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), result.ToString());
        var found = Report(result).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("canaryKind").GetString() == "query").Select(f => f.GetProperty("host").GetString()).ToList();
        Assert.That(found, Is.SupersetOf(new[] { "api.ad.intl.xiaomi.com", "sa.api.intl.miui.com", "tracking.intl.miui.com" }), result.Stdout);
    }

    [Test]
    public async Task WebSocket_text_only_the_server_sent_is_a_response()
    {
        using var dir = new TempFolder("scan-real");
        var har = new ForeignHar();
        var entry = har.Get("https://push.intl.miui.com/ws");
        entry["_webSocketMessages"] = new JsonArray(
            new JsonObject { ["type"] = "send", ["time"] = 1777629600.1, ["opcode"] = 1, ["data"] = """{"op":"hello"}""" },
            new JsonObject { ["type"] = "receive", ["time"] = 1777629600.2, ["opcode"] = 1, ["data"] = $$"""{"suggest":"{{SearchTerm}}"}""" });
        var path = dir.File("capture.har", har.ToJson());
        var requests = await ScanAsync(dir, path);
        Assert.That(requests.ExitCode, Is.EqualTo((int)ExitCode.AllPass), requests.ToString());
        var responses = await ScanAsync(dir, path, "--responses");
        Assert.That(responses.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), responses.ToString());
        Assert.That(Locations(responses), Does.Contain("websocket #1 server > json $.suggest"));
    }

    /// <summary>java.lang.String#hashCode, as the Sensors SDK computes crc.</summary>
    private static int JavaHashCode(string s)
    {
        var h = 0;
        unchecked
        {
            foreach (var c in s) h = 31 * h + c;
        }
        return h;
    }
}
