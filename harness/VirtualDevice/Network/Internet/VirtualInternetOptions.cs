namespace Harness.VirtualDevice.Network.Internet;

/// <summary>Settings of a <see cref="VirtualInternet"/>.</summary>
public sealed record VirtualInternetOptions
{
    /// <summary>Delay before each response (the "slow responses" fault). Zero by default.</summary>
    public TimeSpan ResponseDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long an idle kept-alive connection stays open.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the origins listen: loopback, or the address of a network namespace standing in for another host.</summary>
    public System.Net.IPAddress ListenAddress { get; init; } = System.Net.IPAddress.Loopback;

    /// <summary>Time source for <see cref="VirtualInternetRequest.ReceivedAt"/> and delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
