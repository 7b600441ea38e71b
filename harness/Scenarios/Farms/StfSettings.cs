namespace Harness.Scenarios;

/// <summary>
/// <c>"provider": {"stf": {"url": "https://stf.example.org", "token-env": "STF_TOKEN"}}</c> of devices.json and the
/// phones wanted from it. The access token (STF UI → Settings → Keys) comes from the environment, never the file.
/// </summary>
public sealed record StfSettings(Uri Url, string Token, string TokenVariable, IReadOnlyList<StfDeviceRequest> Requests);
