namespace Harness.Scenarios;

/// <summary>
/// One phone wanted from a DeviceFarmer/STF farm: a devices entry <c>{"stf": {"serial": "R58M123ABC"}}</c> or a filter
/// <c>{"stf": {"model": "Mi 10", "sdk": 34}}</c>, which takes a phone that is present, ready and not in use.
/// </summary>
public sealed record StfDeviceRequest(string? Serial, string? Model, int? Sdk)
{
    public bool Matches(StfDevice device) =>
        (Serial is null || device.Serial == Serial)
        && (Model is null || string.Equals(device.Model, Model, StringComparison.OrdinalIgnoreCase))
        && (Sdk is null || device.Sdk == Sdk);

    public string Describe() => Serial is not null ? $"serial {Serial}"
        : string.Join(", ", new[] { Model is null ? null : $"model {Model}", Sdk is null ? null : $"sdk {Sdk}" }.Where(p => p is not null).DefaultIfEmpty("any phone"));
}
