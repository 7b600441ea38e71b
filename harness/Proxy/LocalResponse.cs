using Harness.Flows;

namespace Harness.Proxy;

/// <summary>A response the proxy sends itself (sinkhole, canary origin, or an event handler's answer).</summary>
public sealed record LocalResponse(int StatusCode, string Reason, IReadOnlyList<HeaderField> Headers, byte[] Body)
{
    public static LocalResponse Empty() => new(200, "OK", [new HeaderField("Content-Length", "0")], []);

    public static LocalResponse Text(int status, string reason, string contentType, string body)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        return new LocalResponse(status, reason, [new HeaderField("Content-Type", contentType), new HeaderField("Content-Length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))], bytes);
    }
}
