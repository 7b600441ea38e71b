using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Har;

/// <summary>
/// Our HAR opened by Chromium DevTools' own HAR importer: the DevTools frontend bundled in the installed Chromium
/// (served on its remote-debugging port) is loaded into a headless page and its models/har module runs the same two
/// steps as the Network panel's "Import HAR file" (<c>new HARFormat.HARRoot(JSON.parse(text))</c>, then
/// <c>Importer.requestsFromHARLog(root.log)</c>). The requests it builds are compared with the captured flows.
/// </summary>
[NonParallelizable]
public sealed class ChromiumDevToolsHarImportTests
{
    private const string ImportScript = """
        (async (harText) => {
          const Har = await import('/devtools/models/har/har.js');
          const root = new Har.HARFormat.HARRoot(JSON.parse(harText));
          const requests = Har.Importer.Importer.requestsFromHARLog(root.log);
          const read = (get) => { try { const v = get(); return typeof v === 'string' ? v : null; } catch { return null; } };
          const out = [];
          for (const r of requests) {
            const content = await r.requestContentData();
            out.push({
              url: r.url(), method: r.requestMethod, status: r.statusCode, statusText: r.statusText,
              mimeType: r.mimeType ?? null, resourceType: r.resourceType().name(),
              requestHeaders: r.requestHeaders().length,
              frames: r.frames().map(f => ({ type: f.type, opCode: f.opCode, text: f.text })),
              // ContentData holds text or base64 as the HAR gave it, and refuses to convert text to base64.
              base64: read(() => content.base64), text: read(() => content.text),
              contentError: content && content.error ? String(content.error) : null,
            });
          }
          return out;
        })
        """;

    private static async Task<JsonArray> ImportWithDevToolsAsync(byte[] har)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var chromium = await HeadlessChromium.StartAsync(timeout.Token);
        try
        {
            // Any page of the debugging origin can import the frontend's modules by path.
            await chromium.NavigateAsync(chromium.DebuggingOrigin + "/json/version", timeout.Token);
            var harText = JsonSerializer.Serialize(System.Text.Encoding.UTF8.GetString(har));
            var imported = await chromium.EvaluateAsync($"({ImportScript})({harText})", timeout.Token);
            return imported!.AsArray();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(e.Message + "\nchromium stderr tail:\n" + string.Join("\n", chromium.StandardError.Split('\n').Where(l => !l.Contains("dbus", StringComparison.Ordinal)).TakeLast(15)), e);
        }
    }

    /// <summary>The body DevTools would show: its base64 form when it kept one, else its text.</summary>
    private static byte[] Body(JsonNode request) =>
        (string?)request["base64"] is { } base64 ? Convert.FromBase64String(base64)
        : System.Text.Encoding.UTF8.GetBytes((string?)request["text"] ?? throw new AssertionException("DevTools has no body for " + request["url"]));

    [Test]
    public async Task RealCapture_IsImportedByDevTools_WithEveryFlowsUrlMethodAndStatus()
    {
        var capture = await RecordedCapture.RecordAsync();
        var requests = await ImportWithDevToolsAsync(capture.Har);

        // What each flow becomes in the HAR: failed connections have status 0 and a synthesized https://host:port/ URL.
        var expected = capture.Flows.Select(f => (
            Url: f.Url ?? $"{f.Scheme}://{f.Host}:{f.Port}/",
            Method: f.Method ?? "CONNECT",
            Status: f.StatusCode ?? 0)).ToList();
        var actual = requests.Select(r => (Url: (string)r!["url"]!, Method: (string)r["method"]!, Status: (int)r["status"]!)).ToList();
        Assert.That(actual, Has.Count.EqualTo(capture.Flows.Count), "one DevTools request per flow");
        Assert.That(actual, Is.EquivalentTo(expected));

        JsonNode Request(string url) => requests.Single(r => (string?)r!["url"] == url)!;
        Assert.Multiple(() =>
        {
            var binary = Request(capture.BinaryUrl);
            Assert.That((string?)binary["contentError"], Is.Null);
            Assert.That(Body(binary), Is.EqualTo(capture.BinaryBody), "binary body through DevTools' base64 content");
            Assert.That((string?)binary["mimeType"], Is.EqualTo("application/octet-stream"));
            var text = Request(capture.TextUrl);
            Assert.That(System.Text.Encoding.UTF8.GetString(Body(text)), Is.EqualTo("hello from origin"));
            Assert.That((int)text["requestHeaders"]!, Is.EqualTo(capture.Flows.Single(f => f.Url == capture.TextUrl).RequestHeaders.Count));
            var gzip = Request(capture.GzipUrl);
            Assert.That(System.Text.Encoding.UTF8.GetString(Body(gzip)), Is.EqualTo(LocalOrigin.GzipText), "the decoded body");
            var ws = Request(capture.WebSocketUrl);
            Assert.That((string?)ws["resourceType"], Is.EqualTo("websocket"));
            var wsFlow = capture.Flows.Single(f => f.Kind == FlowKind.WebSocket);
            Assert.That(ws["frames"]!.AsArray().Select(f => ((string)f!["type"]!, (int)f["opCode"]!)),
                Is.EqualTo(wsFlow.WebSocketMessages.Select(m => (m.FromClient ? "send" : "receive", m.IsText ? 1 : 2))));
            Assert.That((string?)ws["frames"]![0]!["text"], Is.EqualTo("{\"visited\":\"https://secret.example/\"}"));
        });
    }

    [Test]
    public async Task DevToolsImporter_RejectsALogWithoutEntries()
    {
        // Proves the import step can fail: DevTools throws on what it cannot read, and the test sees it.
        var broken = "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"x\",\"version\":\"1\"},\"entries\":{}}}"u8.ToArray();
        var e = Assert.ThrowsAsync<InvalidOperationException>(() => ImportWithDevToolsAsync(broken))!;
        Assert.That(e.Message, Does.Contain("log.entries is expected to be an array"));
    }
}
