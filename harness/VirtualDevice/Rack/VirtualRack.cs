using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.Rack;

/// <summary>Phones of one process sharing one local internet (one root CA, one set of origins).</summary>
public sealed class VirtualRack : IAsyncDisposable
{
    private readonly List<VirtualPhone> _phones = [];

    private VirtualRack(VirtualInternet internet) => Internet = internet;

    public VirtualInternet Internet { get; }
    public IReadOnlyList<VirtualPhone> Phones => _phones;

    /// <param name="listenAddress">Where the phones and the internet listen (default loopback; a network namespace's address stands in for another host).</param>
    public static async Task<VirtualRack> StartAsync(IEnumerable<VirtualPhoneSpec> specs, CancellationToken ct, System.Net.IPAddress? listenAddress = null)
    {
        var address = listenAddress ?? System.Net.IPAddress.Loopback;
        var rack = new VirtualRack(VirtualInternet.Start(options: new VirtualInternetOptions { ListenAddress = address }));
        try
        {
            foreach (var spec in specs)
            {
                var builtIn = PhoneProfile.FindBuiltIn(spec.Model) ?? throw new ArgumentException($"unknown model '{spec.Model}'");
                var profile = builtIn with { Rooted = spec.Rooted ?? builtIn.Rooted, Locale = spec.Locale ?? builtIn.Locale };
                rack._phones.Add(await VirtualPhone.StartAsync(profile, new VirtualPhoneOptions
                {
                    Port = spec.Port,
                    ListenAddress = address,
                    Internet = rack.Internet,
                    TimeFactor = spec.TimeFactor,
                    Preinstalled = spec.Apps.Select(a => a.Manifest).ToList(),
                }, ct).ConfigureAwait(false));
            }
            return rack;
        }
        catch
        {
            await rack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var phone in _phones) await phone.DisposeAsync().ConfigureAwait(false);
        await Internet.DisposeAsync().ConfigureAwait(false);
    }
}
