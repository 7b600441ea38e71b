namespace Harness.Scenarios;

/// <summary>
/// One phone of devices.json. The "virtual" block is for the rack launcher only; the harness ignores it. A phone with
/// <see cref="Link"/> is reached over the network: the run `adb connect`s it to our own adb server first.
/// </summary>
public sealed record RackDevice(string Serial, bool IsVirtual)
{
    /// <summary>"connect": "HOST:PORT" (and "pair"): a phone on another host or in a device farm, reached through `adb connect`.</summary>
    public RemotePhoneLink? Link { get; init; }
}
