using System.Text;
using Harness.Core;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Fuzz;

/// <summary>
/// The scanner reads what phones send, which is hostile by assumption: every decoder (percent, base64, hex, HTML, JSON,
/// form, multipart, protobuf, gzip/deflate/brotli/zstd) runs over it recursively and must never throw. The canary file
/// is user input whose documented rejection is <see cref="BadInputException"/>.
/// </summary>
public static class ScanTargets
{
    private static readonly string?[] ContentTypes =
    [
        null, "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
        "application/octet-stream", "text/html", "application/x-protobuf", "text/plain",
    ];

    private static readonly CanarySet Canaries = CanaryFileReader.Parse(
        """{"canaries":[{"kind":"url","value":"https://canary.example/qz7kx9"},{"kind":"query","value":"qz7kx9term"}],"intended":["canary.example"]}"""u8,
        "fuzz-canaries.json");

    // Small limits keep one execution fast; the limits themselves are what stops hostile input, so they are exercised too.
    private static readonly ScanLimits Limits = new() { MaxDepth = 6, MaxDecodedBytesPerStep = 1024 * 1024, MaxDecodedBytesPerView = 4 * 1024 * 1024, MaxBlindDecodeInput = 256 * 1024 };

    public static void Decoders(byte[] input)
    {
        if (input.Length == 0) return;
        var contentType = ContentTypes[input[0] % ContentTypes.Length];
        var body = input.AsSpan(1).ToArray();
        var flow = new Flow
        {
            Id = "fuzz-1",
            Host = "sa.api.intl.miui.com",
            Port = 443,
            Scheme = "https",
            Method = "POST",
            Url = "https://sa.api.intl.miui.com/sa?project=fuzz&data=" + Encoding.Latin1.GetString(body.AsSpan(0, Math.Min(body.Length, 200))),
            HttpVersion = "HTTP/1.1",
            RequestHeaders = contentType is null ? [] : [new HeaderField("Content-Type", contentType)],
            RequestBody = new FlowBody { Raw = body, Size = body.Length, ContentType = contentType },
            StatusCode = 200,
            ResponseBody = new FlowBody { Raw = body, Size = body.Length, ContentType = contentType, ContentEncoding = (input[0] & 0x30) switch { 0x10 => "gzip", 0x20 => "br", 0x30 => "zstd", _ => null } },
        };
        var result = new CanaryScanner().Scan([flow], new ScanRequest { Canaries = Canaries, ScanResponseBodies = true, Limits = Limits });
        _ = result.Verdict;
    }

    public static void CanaryFile(byte[] input)
    {
        CanarySet canaries;
        try
        {
            canaries = CanaryFileReader.Parse(input, "canaries.json");
        }
        catch (BadInputException)
        {
            return;
        }
        // A canary set the reader accepted must compile into a matcher and scan.
        var flow = new Flow { Id = "fuzz-1", Host = "example.com", Url = "http://example.com/", Method = "GET" };
        new CanaryScanner().Scan([flow], new ScanRequest { Canaries = canaries, Limits = Limits });
    }
}
