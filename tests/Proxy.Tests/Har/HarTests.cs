using System.Text;
using System.Text.Json;
using Harness.Core;
using Harness.Flows;

namespace Harness.Proxy.Tests.Har;

public sealed class HarTests
{
    internal static List<Flow> SampleFlows()
    {
        var t0 = new DateTimeOffset(2026, 11, 25, 5, 0, 0, TimeSpan.Zero);
        return
        [
            new Flow
            {
                Id = "f1", Host = "tracking.miui.test", Port = 443, Scheme = "https", ClientAddress = "127.0.0.1:5555",
                Method = "POST", Url = "https://tracking.miui.test/sa?project=x&q=hello%20world", HttpVersion = "HTTP/1.1",
                Timings = new FlowTimings { Start = t0, TlsDone = t0.AddMilliseconds(5), RequestDone = t0.AddMilliseconds(9), ResponseDone = t0.AddMilliseconds(30) },
                RequestHeaders = [new("Host", "tracking.miui.test"), new("Content-Type", "application/json"), new("Cookie", "a=1; b=2")],
                RequestBody = new FlowBody { Raw = "{\"url\":\"aHR0cHM6Ly92aXNpdGVk\"}"u8.ToArray(), Size = 29, ContentType = "application/json" },
                StatusCode = 200, Reason = "OK",
                ResponseHeaders = [new("Content-Type", "image/png"), new("Content-Encoding", "gzip"), new("Set-Cookie", "s=3; Path=/")],
                ResponseBody = new FlowBody { Raw = [0x1f, 0x8b, 0, 1], Size = 4000, ContentEncoding = "gzip", Decoded = [0x89, 0x50, 0x4e, 0x47, 0] },
                Tls = new TlsInfo { Sni = "tracking.miui.test", Outcome = TlsOutcome.Intercepted, Protocol = "Tls13", Alpn = "http/1.1" },
                RequestTrailers = null,
                Tags = { ["answeredBy"] = "sinkhole" },
            },
            new Flow
            {
                Id = "f2", Kind = FlowKind.Connection, Host = "pinned.test", Port = 443, Scheme = "https", Method = "CONNECT",
                Timings = new FlowTimings { Start = t0.AddSeconds(1) },
                Tls = new TlsInfo { Sni = "pinned.test", Outcome = TlsOutcome.ClientRejectedUntrusted, Detail = "tlsv1 alert unknown ca" },
                Error = new FlowError(FlowErrorKind.TlsHandshake, "tlsv1 alert unknown ca"),
            },
            new Flow
            {
                Id = "f3", Kind = FlowKind.WebSocket, Host = "ws.test", Port = 80, Method = "GET", Url = "http://ws.test/live", HttpVersion = "HTTP/1.1",
                Timings = new FlowTimings { Start = t0.AddSeconds(2) }, StatusCode = 101, Reason = "Switching Protocols",
                WebSocketMessages =
                [
                    new WebSocketMessage(t0.AddSeconds(3), true, true, "hello"u8.ToArray()),
                    new WebSocketMessage(t0.AddSeconds(4), false, false, [0, 1, 2]),
                ],
            },
        ];
    }

    private static JsonDocument WriteToJson(IEnumerable<Flow> flows)
    {
        using var ms = new MemoryStream();
        HarWriter.Write(flows, ms);
        return JsonDocument.Parse(ms.ToArray());
    }

    [Test]
    public void Export_HasEveryHar12RequiredFieldWithTheRightType()
    {
        using var doc = WriteToJson(SampleFlows());
        var log = doc.RootElement.GetProperty("log");
        Assert.That(log.GetProperty("version").GetString(), Is.EqualTo("1.2"));
        Assert.That(log.GetProperty("creator").GetProperty("name").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(log.GetProperty("creator").GetProperty("version").ValueKind, Is.EqualTo(JsonValueKind.String));
        var entries = log.GetProperty("entries").EnumerateArray().ToList();
        Assert.That(entries, Has.Count.EqualTo(3));
        foreach (var e in entries)
        {
            Expect(e, "startedDateTime", JsonValueKind.String);
            Assert.That(DateTimeOffset.TryParse(e.GetProperty("startedDateTime").GetString(), out _), Is.True);
            Expect(e, "time", JsonValueKind.Number);
            Expect(e, "cache", JsonValueKind.Object);
            var req = Expect(e, "request", JsonValueKind.Object);
            foreach (var f in new[] { "method", "url", "httpVersion" }) Expect(req, f, JsonValueKind.String);
            foreach (var f in new[] { "cookies", "headers", "queryString" }) Expect(req, f, JsonValueKind.Array);
            foreach (var f in new[] { "headersSize", "bodySize" }) Expect(req, f, JsonValueKind.Number);
            if (req.TryGetProperty("postData", out var post))
            {
                Expect(post, "mimeType", JsonValueKind.String);
                Expect(post, "text", JsonValueKind.String);
            }
            var resp = Expect(e, "response", JsonValueKind.Object);
            Expect(resp, "status", JsonValueKind.Number);
            foreach (var f in new[] { "statusText", "httpVersion", "redirectURL" }) Expect(resp, f, JsonValueKind.String);
            foreach (var f in new[] { "cookies", "headers" }) Expect(resp, f, JsonValueKind.Array);
            foreach (var f in new[] { "headersSize", "bodySize" }) Expect(resp, f, JsonValueKind.Number);
            var content = Expect(resp, "content", JsonValueKind.Object);
            Expect(content, "size", JsonValueKind.Number);
            Expect(content, "mimeType", JsonValueKind.String);
            var timings = Expect(e, "timings", JsonValueKind.Object);
            foreach (var f in new[] { "send", "wait", "receive" })
            {
                Expect(timings, f, JsonValueKind.Number);
                Assert.That(timings.GetProperty(f).GetDouble(), Is.GreaterThanOrEqualTo(0), f + " must be >= 0");
            }
            foreach (var h in req.GetProperty("headers").EnumerateArray().Concat(resp.GetProperty("headers").EnumerateArray()))
            {
                Expect(h, "name", JsonValueKind.String);
                Expect(h, "value", JsonValueKind.String);
            }
        }
        var binary = entries[0].GetProperty("response").GetProperty("content");
        Assert.That(binary.GetProperty("encoding").GetString(), Is.EqualTo("base64"));
        Assert.That(Convert.FromBase64String(binary.GetProperty("text").GetString()!), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0 }));
        Assert.That(entries[0].GetProperty("request").GetProperty("queryString")[1].GetProperty("value").GetString(), Is.EqualTo("hello world"));
        Assert.That(entries[0].GetProperty("request").GetProperty("cookies").GetArrayLength(), Is.EqualTo(2));
        Assert.That(entries[1].GetProperty("response").GetProperty("status").GetInt32(), Is.EqualTo(0), "failed connections are status 0");
        Assert.That(entries[1].GetProperty("_tls").GetProperty("outcome").GetString(), Is.EqualTo("ClientRejectedUntrusted"));
        Assert.That(entries[1].GetProperty("_error").GetProperty("kind").GetString(), Is.EqualTo("TlsHandshake"));
        Assert.That(entries[2].GetProperty("_webSocketMessages")[0].GetProperty("type").GetString(), Is.EqualTo("send"));
        Assert.That(entries[2].GetProperty("_resourceType").GetString(), Is.EqualTo("websocket"), "DevTools lists it under WS");
        Assert.That(entries[0].TryGetProperty("_resourceType", out _), Is.False);
    }

    private static JsonElement Expect(JsonElement holder, string name, JsonValueKind kind)
    {
        Assert.That(holder.TryGetProperty(name, out var value), Is.True, $"missing '{name}'");
        Assert.That(value.ValueKind, Is.EqualTo(kind), $"'{name}' has the wrong type");
        return value;
    }

    [Test]
    public void RoundTrip_KeepsEveryFieldTheScannerNeeds()
    {
        var original = SampleFlows();
        using var ms = new MemoryStream();
        HarWriter.Write(original, ms);
        ms.Position = 0;
        var back = HarReader.Read(ms, "x.har");
        Assert.That(back.Select(FlowJson.Serialize), Is.EqualTo(original.Select(FlowJson.Serialize)));
    }

    [Test]
    public void SyntaxError_ReportsFileAndLine()
    {
        var har = "{\n  \"log\": {\n    \"version\": \"1.2\",,\n  }\n}";
        var e = Assert.Throws<BadInputException>(() => HarReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(har)), "bad.har"))!;
        Assert.That(e.File, Is.EqualTo("bad.har"));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [TestCase("{\"log\":{\"entries\":[{\"startedDateTime\":\"2026-01-01T00:00:00Z\",\"response\":{}}]}}", "log.entries[0].request")]
    [TestCase("{\"log\":{\"entries\":{}}}", "log.entries")]
    [TestCase("{\"log\":{\"entries\":[{\"startedDateTime\":\"yesterday\"}]}}", "log.entries[0].startedDateTime")]
    [TestCase("{\"log\":{\"entries\":[{\"startedDateTime\":\"2026-01-01T00:00:00Z\",\"request\":{\"method\":\"GET\",\"url\":\"http://a/\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[{\"name\":\"A\"}]},\"response\":{}}]}}", "log.entries[0].request.headers[0].value")]
    public void StructuralError_NamesTheField(string har, string field)
    {
        var e = Assert.Throws<BadInputException>(() => HarReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(har)), "bad.har"))!;
        Assert.That(e.Field, Is.EqualTo(field));
    }
}
