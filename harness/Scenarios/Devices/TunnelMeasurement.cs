using System.Globalization;

namespace Harness.Scenarios;

/// <summary>
/// How fast the adb transport of a phone reached over the network is, measured right after `adb connect`: the median
/// round trip of a trivial shell command, and the throughput of a push. Recorded in the phone's device facts: a slow
/// tunnel explains slow cases and timeouts to whoever reads the evidence.
/// </summary>
public sealed record TunnelMeasurement(string Endpoint, TimeSpan MedianLatency, int RoundTrips, long PushedBytes, TimeSpan PushTime)
{
    public double BytesPerSecond => PushTime <= TimeSpan.Zero ? 0 : PushedBytes / PushTime.TotalSeconds;

    /// <summary>"adb connect 10.0.0.7:5555: latency 1.8 ms (median of 10 round trips), throughput 12.4 MiB/s (1 MiB push)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"adb connect {Endpoint}: latency {MedianLatency.TotalMilliseconds:0.0} ms (median of {RoundTrips} round trips), "
        + $"throughput {BytesPerSecond / (1024 * 1024):0.0} MiB/s ({PushedBytes / 1024} KiB push in {PushTime.TotalMilliseconds:0} ms)");
}
