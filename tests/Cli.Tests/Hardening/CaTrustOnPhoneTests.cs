using System.Text;
using Harness.Core;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// A phone left trusting our CA can be intercepted by whoever has the key. `harness doctor` must say so, and
/// `harness ca uninstall SERIAL` must take the CA out of the system store (via root) and the user store in one go.
/// Virtual phones through a private real adb server.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CaTrustOnPhoneTests
{
    private PrivateAdbServer _adb = null!;
    private TempFolder _dir = null!;
    private string _caDir = null!;
    private string _caFileName = null!;
    private byte[] _caPem = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync()
    {
        _adb = await PrivateAdbServer.StartAsync();
        _dir = new TempFolder();
        _caDir = _dir.Combine("ca");
        using var ca = CertificateAuthority.LoadOrCreate(_caDir);
        _caFileName = ca.AndroidSystemStoreFileName;
        _caPem = Encoding.ASCII.GetBytes(ca.ExportPem());
    }

    [OneTimeTearDown]
    public async Task StopAdbAsync()
    {
        await _adb.DisposeAsync();
        _dir.Dispose();
    }

    private string AdbEndpoint => "127.0.0.1:" + _adb.Port;

    /// <summary>What a run's injection leaves: our CA in a tmpfs over the system store, bound onto the APEX store, plus the user store.</summary>
    private void TrustOurCa(VirtualPhone phone, bool system, bool user)
    {
        var fs = phone.Android.FileSystem;
        if (system)
        {
            fs.MountTmpfs(VirtualAndroid.SystemCaDirectory);
            fs.WriteFile($"{VirtualAndroid.SystemCaDirectory}/{_caFileName}", _caPem, asRoot: true);
            if (fs.IsDirectory(VirtualAndroid.ApexCaDirectory)) fs.MountBind(VirtualAndroid.SystemCaDirectory, VirtualAndroid.ApexCaDirectory);
        }
        if (user) fs.WriteFile($"{VirtualAndroid.UserCaDirectory}/{_caFileName}", _caPem, asRoot: true);
    }

    private bool TrustedAnywhere(VirtualPhone phone) =>
        new[] { VirtualAndroid.SystemCaDirectory, VirtualAndroid.ApexCaDirectory, VirtualAndroid.UserCaDirectory }
            .Any(d => phone.Android.FileSystem.Exists($"{d}/{_caFileName}"));

    [Test]
    public async Task Doctor_WarnsWhileThePhoneTrustsOurCa_AndUninstallRemovesItEverywhere()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Mi 10");
        TrustOurCa(phone.Phone, system: true, user: true);
        Assert.That(TrustedAnywhere(phone.Phone), Is.True, "setup");

        var before = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", AdbEndpoint, "--ca-dir", _caDir]);
        Assert.That(before.Stdout, Does.Contain("still trusts the harness CA").And.Contain(_caFileName), before.ToString());
        Assert.That(before.Stdout, Does.Contain($"harness ca uninstall {phone.Serial}"), "names the fix: " + before);
        Assert.That(before.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), before.ToString());

        var uninstall = await BuiltCli.RunAsync(["ca", "uninstall", phone.Serial, "--adb", AdbEndpoint, "--ca-dir", _caDir]);
        Assert.That(uninstall.ExitCode, Is.EqualTo((int)ExitCode.AllPass), uninstall.ToString());
        Assert.That(uninstall.Stdout, Does.Contain(VirtualAndroid.UserCaDirectory).And.Contain(VirtualAndroid.SystemCaDirectory), uninstall.ToString());
        Assert.That(TrustedAnywhere(phone.Phone), Is.False, "the CA is gone from every store");

        var after = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", AdbEndpoint, "--ca-dir", _caDir]);
        Assert.That(after.Stdout, Does.Not.Contain("still trusts the harness CA"), after.ToString());
    }

    [Test]
    public async Task Doctor_SaysNothingAboutTheCa_OnAPhoneThatNeverTrustedIt()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Mi 10");
        var result = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", AdbEndpoint, "--ca-dir", _caDir]);
        Assert.That(result.ExitCode, Is.Not.EqualTo((int)ExitCode.Infrastructure), result.ToString());
        Assert.That(result.Stdout, Does.Not.Contain("harness CA"), result.ToString());
    }

    [Test]
    public async Task Uninstall_WithoutRoot_SaysHowToRemoveItByHand()
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8");
        TrustOurCa(phone.Phone, system: false, user: true);
        var result = await BuiltCli.RunAsync(["ca", "uninstall", phone.Serial, "--adb", AdbEndpoint, "--ca-dir", _caDir]);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), result.ToString());
        Assert.That(result.Stderr, Does.Contain("not rooted").And.Contain("Trusted credentials"), result.ToString());
    }

    [Test]
    public async Task Uninstall_WithoutACa_IsBadInput()
    {
        using var empty = new TempFolder();
        var result = await BuiltCli.RunAsync(["ca", "uninstall", "127.0.0.1:1", "--adb", AdbEndpoint, "--ca-dir", empty.Path]);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--ca-dir"), result.ToString());
        Assert.That(Directory.EnumerateFileSystemEntries(empty.Path), Is.Empty, "no CA was created by uninstall");
    }
}
