using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Signing;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Writes a sealed evidence bundle the way a run does: one case with its HAR and canaries, device facts, the proxy CA
/// certificate from a real CA directory, signed with a real signing key.
/// </summary>
internal static class SampleBundle
{
    public static async Task<string> CreateAsync(TempFolder dir, string caDirectory, string signingKeyDirectory, string harPath, string canariesPath)
    {
        var folder = dir.Combine("bundle");
        var writer = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions
        {
            BundleDirectory = folder, RunId = "run-hardening", HarnessVersion = "1.0.0-test",
        }, CancellationToken.None);
        await writer.AddCaseAsync(new CaseEvidence
        {
            Record = new CaseRecord
            {
                CaseId = "mint-incognito-url", Scenario = "incognito-url", BrowserPackage = "com.mi.globalbrowser.mini",
                BrowserVersion = "3.4.0", DeviceSerial = "127.0.0.1:5611", DeviceModel = "Redmi Note 8", Mode = "incognito=on",
                Verdict = CaseVerdicts.Pass,
                StartedUtc = DateTimeOffset.UtcNow.AddMinutes(-1), StoppedUtc = DateTimeOffset.UtcNow,
            },
            HarPath = harPath,
            CanariesPath = canariesPath,
        }, CancellationToken.None);
        await writer.AddDeviceFactsAsync(new DeviceFacts { Serial = "127.0.0.1:5611", Model = "Redmi Note 8", RootState = "rooted" }, CancellationToken.None);
        await writer.AddProxyCaCertificateAsync(Path.Combine(caDirectory, Harness.Proxy.Certificates.CertificateAuthority.CertificateFileName), CancellationToken.None);
        using var key = await new SigningKeyStore(signingKeyDirectory).LoadOrCreateAsync(CancellationToken.None);
        await writer.SealAsync(key, CancellationToken.None);
        return folder;
    }
}
