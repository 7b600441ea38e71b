using Harness.Proxy;

namespace Harness.Scenarios;

/// <summary>
/// Everything a run takes from the rack besides its phones: where requests go upstream (<see cref="Upstream"/>,
/// <see cref="ConnectTo"/>, <see cref="ExtraCaFiles"/>), the Mi Account of each phone, and the destinations the lab adds
/// to the profiles' own. Produced by <see cref="RackFile"/>; whatever builds a run passes it on unchanged to
/// <see cref="DeviceSession"/> (the proxy) and <see cref="ScenarioRunner"/> (sign-in, the scan).
/// </summary>
public sealed record RackSettings
{
    /// <summary>The limit every case result carries when the rack answers vendor servers itself.</summary>
    public const string SinkholeLimit = "vendor servers answered by the proxy: the app may behave differently";

    /// <summary>Forward: every request goes to its real origin (the canary origin is always answered locally).</summary>
    public static RackSettings Default { get; } = new();

    public UpstreamMode Upstream { get; init; } = UpstreamMode.Forward;

    /// <summary>Upstream name resolution overrides (curl's --connect-to), for split DNS and the virtual rack.</summary>
    public IReadOnlyList<ConnectToRule> ConnectTo { get; init; } = [];

    /// <summary>PEM files of roots trusted for upstream TLS besides the system store (a lab's own origins).</summary>
    public IReadOnlyList<string> ExtraCaFiles { get; init; } = [];

    /// <summary>The account of phones that name none themselves; null = phones without an account.</summary>
    public MiAccount? Account { get; init; }

    /// <summary>Accounts of single phones (by serial), which win over <see cref="Account"/>.</summary>
    public IReadOnlyDictionary<string, MiAccount> PhoneAccounts { get; init; } = new Dictionary<string, MiAccount>(StringComparer.Ordinal);

    /// <summary>Hosts the lab also counts as intended destinations (beside the canary site and the profile's search engines).</summary>
    public IReadOnlyList<string> IntendedHosts { get; init; } = [];

    /// <summary>Domains the lab also counts as the vendor's (beside the built-in list).</summary>
    public IReadOnlyList<string> VendorDomains { get; init; } = [];

    /// <summary>Lower-case name of <see cref="Upstream"/>, as results, the bundle and Allure record it.</summary>
    public string UpstreamName => Upstream.ToString().ToLowerInvariant();

    /// <summary>One line for the report and the evidence: the mode, then where names resolve and which extra CAs are trusted.</summary>
    public string Describe() =>
        UpstreamName
        + (ConnectTo.Count == 0 ? "" : "; connect-to " + string.Join(", ", ConnectTo))
        + (ExtraCaFiles.Count == 0 ? "" : "; extra CA " + string.Join(", ", ExtraCaFiles.Select(Path.GetFileName)));

    public MiAccount? AccountFor(string serial) => PhoneAccounts.TryGetValue(serial, out var own) ? own : Account;

    /// <summary>Sets the proxy's upstream mode, name resolution and trust from these settings.</summary>
    public void ApplyTo(InterceptingProxyOptions proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        proxy.UpstreamMode = Upstream;
        proxy.ConnectTo = ConnectTo;
        if (ExtraCaFiles.Count == 0) return;
        var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        foreach (var file in ExtraCaFiles) roots.AddRange(UpstreamTrust.LoadRoots(file));
        proxy.UpstreamCertificateValidation = UpstreamTrust.SystemStorePlus(roots);
    }
}
