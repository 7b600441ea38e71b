using System.Net;

namespace Harness.VirtualDevice.Network;

/// <summary>Settings of a <see cref="PhoneHttpClient"/>.</summary>
public sealed record PhoneHttpClientOptions
{
    /// <summary>TCP connect (and proxy CONNECT) budget; OkHttp's default is 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Budget for the whole exchange after connecting (TLS, request, response).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The phone's Wi-Fi address, the local side of direct connections in /proc/net/tcp.</summary>
    public IPAddress DeviceAddress { get; init; } = IPAddress.Parse("192.168.1.23");

    /// <summary>
    /// Java sockets on Android are IPv6 sockets talking to IPv4 peers through IPv4-mapped addresses, so app
    /// connections show up in /proc/net/tcp6. False lists them as plain IPv4 in /proc/net/tcp.
    /// </summary>
    public bool DualStackSockets { get; init; } = true;

    /// <summary>First local port handed out (Linux's ephemeral range starts at 32768).</summary>
    public int FirstEphemeralPort { get; init; } = 37_000;
}
