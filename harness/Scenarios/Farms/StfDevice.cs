namespace Harness.Scenarios;

/// <summary>A phone as STF's <c>GET /api/v1/devices</c> lists it (the fields a reservation is chosen by).</summary>
public sealed record StfDevice(string Serial, string? Model, int? Sdk, bool Present, bool Ready, bool Using, string? Owner)
{
    /// <summary>What STF's UI calls "available": connected, ready, nobody using it.</summary>
    public bool Available => Present && Ready && !Using;
}
