using Harness.VirtualDevice.Network.Internet;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// What a run does with a virtual rack's local internet, as `harness virtual-rack` publishes it: forward every request
/// there (connect-to) and trust its root (extra CA), plus the rack's test account. The harness side sees only a lab.
/// </summary>
internal static class LabUpstream
{
    public static readonly MiAccount TestAccount = new("harness-test-account", "harness-test-password", "test");

    public static RackSettings ForwardTo(VirtualInternet internet, string directory, MiAccount? account = null)
    {
        Directory.CreateDirectory(directory);
        var (upstreamFile, _) = VirtualInternetPublication.Write(internet, Path.Combine(directory, "upstream.json"));
        return RackSettingsParser.AddUpstreamFile(RackSettings.Default with { Account = account ?? TestAccount }, upstreamFile);
    }
}
