using System.Text;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>What a local origin answers.</summary>
public sealed record VirtualOriginResponse(int StatusCode, string ReasonPhrase, string? ContentType, byte[] Body)
{
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    public static VirtualOriginResponse Html(string html) =>
        new(200, "OK", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    public static VirtualOriginResponse Json(string json, int statusCode = 200) =>
        new(statusCode, statusCode == 200 ? "OK" : "Status", "application/json; charset=utf-8", Encoding.UTF8.GetBytes(json));

    public static VirtualOriginResponse NoContent() => new(204, "No Content", null, []);

    public static VirtualOriginResponse NotFound() => new(404, "Not Found", "text/plain", Encoding.UTF8.GetBytes("not found"));
}
