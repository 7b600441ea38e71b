using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harness.Scenarios;

/// <summary>
/// The part of DeviceFarmer/STF's REST API (api/v1, `Authorization: Bearer TOKEN`) a run needs: list phones, reserve
/// one (<c>POST /user/devices {serial}</c>), open its remote adb endpoint (<c>POST /user/devices/SERIAL/remoteConnect</c>
/// → <c>remoteConnectUrl</c>), close it (<c>DELETE …/remoteConnect</c>) and release the phone (<c>DELETE /user/devices/SERIAL</c>).
/// Every answer is <c>{"success": bool, "description": "…", …}</c>; an error status becomes an <see cref="StfException"/>.
/// </summary>
public sealed class StfClient : IDisposable
{
    private readonly HttpClient _http;

    public StfClient(Uri url, string token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _http = new HttpClient { BaseAddress = new Uri(url.AbsoluteUri.TrimEnd('/') + "/api/v1/"), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<IReadOnlyList<StfDevice>> GetDevicesAsync(CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, "devices?fields=serial,model,sdk,present,ready,using,owner", null, ct).ConfigureAwait(false);
        if (!body.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
            throw new StfException("STF's device list has no \"devices\"");
        return devices.EnumerateArray().Select(d => new StfDevice(
            d.GetProperty("serial").GetString() ?? "",
            d.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
            // STF keeps the SDK level as a string ("29").
            d.TryGetProperty("sdk", out var s) ? s.ValueKind == JsonValueKind.Number ? s.GetInt32() : int.TryParse(s.GetString(), out var n) ? n : null : null,
            Flag(d, "present"), Flag(d, "ready"), Flag(d, "using"),
            d.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty("email", out var e) ? e.GetString() : null)).ToList();
    }

    /// <summary>Takes the phone for this token's user (403 when someone uses it, 404 when STF does not know it).</summary>
    public Task ReserveAsync(string serial, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "user/devices", new { serial }, ct);

    /// <summary>Opens the phone's remote adb endpoint; returns HOST:PORT for `adb connect`.</summary>
    public async Task<string> RemoteConnectAsync(string serial, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, $"user/devices/{Uri.EscapeDataString(serial)}/remoteConnect", new { }, ct).ConfigureAwait(false);
        return body.TryGetProperty("remoteConnectUrl", out var url) && url.GetString() is { Length: > 0 } text
            ? text
            : throw new StfException($"STF enabled remote connect for {serial} but named no remoteConnectUrl");
    }

    public Task RemoteDisconnectAsync(string serial, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"user/devices/{Uri.EscapeDataString(serial)}/remoteConnect", null, ct);

    public Task ReleaseAsync(string serial, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"user/devices/{Uri.EscapeDataString(serial)}", null, ct);

    private static bool Flag(JsonElement device, string name) => device.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = JsonContent.Create(json);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new StfException($"STF at {_http.BaseAddress} unreachable: {e.Message}", inner: e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new StfException($"STF answered {(int)response.StatusCode} to {method} {path} with no JSON", (int)response.StatusCode);
            }
            var description = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var success = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
            if (response.IsSuccessStatusCode && success) return body;
            var status = (int)response.StatusCode;
            var why = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "the access token was refused (STF UI → Settings → Keys)",
                HttpStatusCode.Forbidden => "the phone is in use by someone else or not available",
                HttpStatusCode.NotFound => "STF does not know this phone",
                HttpStatusCode.GatewayTimeout => "the phone is not responding",
                _ => "STF error",
            };
            throw new StfException($"{method} {path}: {status} {description ?? why} ({why})", status, description);
        }
    }

    public void Dispose() => _http.Dispose();
}
