using System.Text.Json;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// Reads <c>"provider": {"stf": {"url": "https://stf.example.org", "token-env": "STF_TOKEN"}}</c> and the devices
/// entries <c>{"stf": {"serial": "…"}}</c> / <c>{"stf": {"model": "…", "sdk": 34}}</c> of devices.json.
/// </summary>
public static class StfSettingsParser
{
    /// <summary>A devices entry's "stf" request, or null when it has none.</summary>
    public static StfDeviceRequest? ParseRequest(JsonElement device, string file, string field)
    {
        if (!device.TryGetProperty("stf", out var stf)) return null;
        field += ".stf";
        if (stf.ValueKind != JsonValueKind.Object)
            throw Bad(file, field, "expected {\"serial\": \"R58M123ABC\"} or a filter {\"model\": \"Mi 10\", \"sdk\": 34}");
        string? Text(string name)
        {
            if (!stf.TryGetProperty(name, out var v)) return null;
            return v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : throw Bad(file, $"{field}.{name}", "expected a non-empty string");
        }
        int? sdk = null;
        if (stf.TryGetProperty("sdk", out var s))
            sdk = s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var level) && level is > 0 and < 1000 ? level : throw Bad(file, field + ".sdk", "expected an API level such as 34");
        var request = new StfDeviceRequest(Text("serial"), Text("model"), sdk);
        if (request.Serial is not null && (request.Model is not null || request.Sdk is not null))
            throw Bad(file, field, "name a phone by \"serial\" or by a filter (\"model\", \"sdk\"), not both");
        return request;
    }

    /// <summary>The rack's "provider" section with the requests of its devices entries; null when it names none.</summary>
    public static StfSettings? Parse(JsonElement root, string file, IReadOnlyList<StfDeviceRequest> requests, Func<string, string?> environment)
    {
        if (!root.TryGetProperty("provider", out var provider))
        {
            if (requests.Count > 0) throw Bad(file, "provider", "devices entries with \"stf\" need \"provider\": {\"stf\": {\"url\": \"https://stf.example.org\", \"token-env\": \"STF_TOKEN\"}}");
            return null;
        }
        if (provider.ValueKind != JsonValueKind.Object || !provider.TryGetProperty("stf", out var stf) || stf.ValueKind != JsonValueKind.Object)
            throw Bad(file, "provider", "expected {\"stf\": {\"url\": \"https://stf.example.org\", \"token-env\": \"STF_TOKEN\"}} (DeviceFarmer/STF is the provider supported)");
        if (!stf.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw Bad(file, "provider.stf.url", "expected the farm's address, e.g. \"https://stf.example.org\"");
        if (stf.TryGetProperty("token", out _))
            throw Bad(file, "provider.stf.token", "an access token does not belong in the rack file: name an environment variable with \"token-env\"");
        if (!stf.TryGetProperty("token-env", out var variable) || variable.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(variable.GetString()))
            throw Bad(file, "provider.stf.token-env", "expected the name of the environment variable holding the STF access token, e.g. \"STF_TOKEN\"");
        var token = environment(variable.GetString()!);
        if (string.IsNullOrWhiteSpace(token))
            throw Bad(file, "provider.stf.token-env", $"environment variable {variable.GetString()} is not set (STF UI → Settings → Keys → generate an access token)");
        if (requests.Count == 0) throw Bad(file, "devices", "the STF provider is named but no devices entry asks for a phone: add {\"stf\": {\"serial\": \"…\"}} or {\"stf\": {\"model\": \"…\"}}");
        return new StfSettings(url, token.Trim(), variable.GetString()!, requests);
    }

    private static BadInputException Bad(string file, string field, string message) => new(message, file, null, null, field);
}
