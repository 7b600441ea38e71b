using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Harness.VirtualDevice.Network;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// The vendor's own analytics (MiStat), called alongside Sensors: a form POST with the app and device
/// fields and the event as JSON, sent at once (no buffering).
/// </summary>
public sealed class MiStatClient
{
    private readonly PhoneHttpClient _http;
    private readonly MiStatOptions _options;
    private readonly SensorsDeviceProperties _device;

    public MiStatClient(PhoneHttpClient http, MiStatOptions options, SensorsDeviceProperties device)
    {
        _http = http;
        _options = options;
        _device = device;
    }

    /// <summary>The form body for one event (no I/O).</summary>
    public string BuildBody(string eventName, JsonObject? eventProperties)
    {
        var timestamp = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var events = new JsonArray(new JsonObject
        {
            ["event"] = eventName,
            ["ts"] = timestamp,
            ["params"] = eventProperties?.DeepClone() ?? new JsonObject(),
        });
        var fields = new List<KeyValuePair<string, string>>
        {
            new("app_id", _options.AppId),
            new("pkg", _options.PackageName),
            new("app_version", _device.AppVersion),
            new("device_id", _device.DeviceId),
            new("manufacturer", _device.Manufacturer),
            new("model", _device.Model),
            new("os", _device.Os),
            new("os_version", _device.OsVersion),
            new("region", _options.Region),
            new("net", _device.NetworkType),
            new("ts", timestamp.ToString(CultureInfo.InvariantCulture)),
            new("events", AndroidJsonWriter.Write(events)),
        };
        return string.Join('&', fields.Select(f => f.Key + "=" + JavaUrlEncoder.Encode(f.Value)));
    }

    /// <summary>Sends one event; false when the upload failed (MiStat drops it, as fire-and-forget analytics do).</summary>
    public async Task<bool> ReportAsync(string eventName, JsonObject? eventProperties, CancellationToken cancellationToken)
    {
        var request = _options.Network.ApplyTo(new PhoneHttpRequest("POST", _options.UploadUrl)
        {
            Headers =
            [
                new("Content-Type", "application/x-www-form-urlencoded"),
                new("User-Agent", _options.UserAgent),
                new("Accept-Encoding", "gzip"),
            ],
            Body = Encoding.ASCII.GetBytes(BuildBody(eventName, eventProperties)),
        });
        try
        {
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccess;
        }
        catch (PhoneNetworkException)
        {
            return false;
        }
    }
}
