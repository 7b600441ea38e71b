using System.IO.Compression;
using System.Text;
using Harness.Flows;

namespace Harness.Bench.ScanBench;

/// <summary>
/// Shape-realistic capture: Sensors analytics posts (form > base64 > gzip > JSON), JSON API calls, JSON with base64
/// uploads, gzip-encoded JSON responses the scanner must inflate, HTML pages with entities and inline scripts, images.
/// No canary is planted: the bench measures the cost of looking, which is the common case.
/// </summary>
internal sealed class TrafficGenerator(int seed, int onlyShape = -1)
{
    private readonly Random _random = new(seed);
    private int _id;

    private static readonly string[] Hosts = ["sa.api.intl.miui.com", "data.mistat.intl.xiaomi.com", "api.example-news.com", "cdn.example-img.net", "www.example-shop.com", "graph.example-social.com"];
    private static readonly string[] Words = ["weather", "news", "video", "browser", "search", "privacy", "download", "sports", "music", "travel", "recipe", "football", "中文", "новости"];

    public List<Flow> Chunk(long targetBytes, out long bytes)
    {
        var flows = new List<Flow>();
        bytes = 0;
        while (bytes < targetBytes)
        {
            var flow = (onlyShape >= 0 ? onlyShape : _random.Next(100)) switch
            {
                < 20 => Sensors(),
                < 40 => JsonApi(),
                < 50 => JsonWithBase64Upload(),
                < 65 => GzipJsonResponse(),
                < 85 => Html(),
                _ => Image(),
            };
            bytes += SizeOf(flow);
            flows.Add(flow);
        }
        return flows;
    }

    public static long SizeOf(Flow f) =>
        (f.Url?.Length ?? 0) + f.RequestHeaders.Sum(h => h.Name.Length + h.Value.Length + 4)
        + (f.RequestBody?.Raw.Length ?? 0) + (f.ResponseBody?.Raw.Length ?? 0);

    private Flow New(string host, string path, string method = "GET")
    {
        var flow = new Flow
        {
            Id = "b" + (++_id),
            Host = host,
            Port = 443,
            Scheme = "https",
            Method = method,
            Url = $"https://{host}{path}",
            StatusCode = 200,
            Tls = new TlsInfo { Sni = host, Outcome = TlsOutcome.Intercepted },
        };
        flow.RequestHeaders.Add(new HeaderField("User-Agent", "Mozilla/5.0 (Linux; U; Android 10; Redmi Note 8) AppleWebKit/537.36 XiaoMi/Mint Browser/3.4.0"));
        flow.RequestHeaders.Add(new HeaderField("Cookie", $"sid={Hex(16)}; _ga=GA1.2.{_random.Next()}.{_random.Next()}; pref=lang%3Den"));
        flow.RequestHeaders.Add(new HeaderField("Referer", $"https://{Hosts[_random.Next(Hosts.Length)]}/{Word()}/{_random.Next(100000)}"));
        return flow;
    }

    private Flow Sensors()
    {
        var flow = New("sa.api.intl.miui.com", "/sa?project=global_browser_mini&r=IN", "POST");
        var events = new StringBuilder("[");
        var count = 10 + _random.Next(40);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) events.Append(',');
            events.Append($$$"""{"_track_id":{{{_random.Next()}}},"time":{{{1588000000000L + _random.Next()}}},"type":"track","distinct_id":"{{{Guid.NewGuid()}}}","event":"page_load_event_finish","properties":{"$os":"Android","$model":"Redmi Note 8","$device_id":"{{{Hex(8)}}}","uuid":"{{{Guid.NewGuid()}}}","url":"https:\/\/www.example.com\/{{{Word()}}}\/{{{_random.Next()}}}","internet_status":"wifi"}}""");
        }
        events.Append(']');
        var dataList = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(events.ToString())));
        var body = $"crc={dataList.GetHashCode()}&gzip=1&data_list={Uri.EscapeDataString(dataList)}";
        flow.RequestBody = Body(Encoding.ASCII.GetBytes(body), "application/x-www-form-urlencoded");
        return flow;
    }

    private Flow JsonApi()
    {
        var flow = New(Hosts[2 + _random.Next(4)], $"/api/v2/{Word()}?page={_random.Next(50)}&lang=en", "POST");
        flow.RequestBody = Body(Encoding.UTF8.GetBytes(JsonDocumentText(2 + _random.Next(30))), "application/json");
        flow.ResponseBody = Body(Encoding.UTF8.GetBytes(JsonDocumentText(5 + _random.Next(60))), "application/json");
        return flow;
    }

    private Flow JsonWithBase64Upload()
    {
        var flow = New("graph.example-social.com", "/upload", "POST");
        var blob = new byte[8 * 1024 + _random.Next(32 * 1024)];
        _random.NextBytes(blob);
        flow.RequestBody = Body(Encoding.ASCII.GetBytes($"{{\"name\":\"photo{_random.Next()}.jpg\",\"data\":\"{Convert.ToBase64String(blob)}\",\"sig\":\"{Hex(32)}\"}}"), "application/json");
        return flow;
    }

    private Flow GzipJsonResponse()
    {
        var flow = New("api.example-news.com", $"/feed?cursor={Hex(12)}");
        var raw = Gzip(Encoding.UTF8.GetBytes(JsonDocumentText(50 + _random.Next(200))));
        flow.ResponseBody = new FlowBody { Raw = raw, Size = raw.Length, ContentEncoding = "gzip", ContentType = "application/json" };
        return flow;
    }

    private Flow Html()
    {
        var flow = New("www.example-shop.com", $"/{Word()}/{_random.Next(100000)}.html");
        var sb = new StringBuilder("<!doctype html><html><head><title>Shop &amp; more</title><script>var cfg={\"api\":\"https:\\/\\/api.example-news.com\\/v1\",\"k\":\"" + Hex(20) + "\"};</script></head><body>");
        var paragraphs = 20 + _random.Next(200);
        for (var i = 0; i < paragraphs; i++)
            sb.Append($"<div class=\"item-{i}\"><a href=\"/p/{_random.Next()}?ref=home&amp;pos={i}\">{Sentence()}</a><p>{Sentence()} &mdash; {Sentence()}</p></div>\n");
        sb.Append("</body></html>");
        flow.ResponseBody = Body(Encoding.UTF8.GetBytes(sb.ToString()), "text/html; charset=utf-8");
        return flow;
    }

    private Flow Image()
    {
        var flow = New("cdn.example-img.net", $"/img/{Hex(16)}.jpg");
        var image = new byte[20 * 1024 + _random.Next(200 * 1024)];
        _random.NextBytes(image);
        image[0] = 0xFF; image[1] = 0xD8; image[2] = 0xFF; image[3] = 0xE0;
        flow.ResponseBody = Body(image, "image/jpeg");
        return flow;
    }

    private string JsonDocumentText(int items)
    {
        var sb = new StringBuilder("{\"status\":\"ok\",\"items\":[");
        for (var i = 0; i < items; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append($$$"""{"id":{{{_random.Next()}}},"title":"{{{Sentence()}}}","url":"https://www.example.com/{{{Word()}}}/{{{_random.Next()}}}","score":{{{_random.NextDouble():F4}}},"tags":["{{{Word()}}}","{{{Word()}}}"],"token":"{{{Hex(24)}}}"}""");
        }
        sb.Append("]}");
        return sb.ToString();
    }

    private string Sentence() => string.Join(' ', Enumerable.Range(0, 4 + _random.Next(10)).Select(_ => Word()));

    private string Word() => Words[_random.Next(Words.Length)];

    private string Hex(int bytes)
    {
        var b = new byte[bytes];
        _random.NextBytes(b);
        return Convert.ToHexStringLower(b);
    }

    private static FlowBody Body(byte[] raw, string contentType) => new() { Raw = raw, Size = raw.Length, ContentType = contentType };

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(data);
        return output.ToArray();
    }
}
