namespace Harness.VirtualDevice.Network;

/// <summary>The response an app received. <see cref="Body"/> is already gunzipped when the server used gzip.</summary>
public sealed record PhoneHttpResponse(
    int StatusCode,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    PhoneHttpRoute Route)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
