using System.Text;
using Harness.Adb;
using Harness.Browsers;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.SystemApps;
using Harness.VirtualDevice.Tests.Browsers;

namespace Harness.VirtualDevice.Tests.SystemApps;

/// <summary>
/// The shipped Settings profile (scenarios/system/android-settings.yaml) run by the real BrowserDriver against the
/// virtual Settings and DocumentsUI through the real adb server, on unrooted phones, in English and Spanish: the CA
/// pushed to /sdcard/Download is installed into the user store through the UI, read back under Trusted credentials,
/// and removed again. Android 10 asks to name the certificate; Android 11+ installs it at once.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SettingsUserCaProfileTests
{
    private const string CaName = "Harness Interception CA";
    private PrivateAdbServer _adb = null!;
    private CertificateAuthority _ca = null!;
    private string _caDirectory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _adb = await PrivateAdbServer.StartAsync();
        _caDirectory = Path.Combine(Path.GetTempPath(), "harness-settings-ca-" + Guid.NewGuid().ToString("N"));
        _ca = CertificateAuthority.LoadOrCreate(_caDirectory);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _ca?.Dispose();
        if (_adb != null) await _adb.DisposeAsync();
        if (_caDirectory != null && Directory.Exists(_caDirectory)) Directory.Delete(_caDirectory, recursive: true);
    }

    private static BrowserProfile SettingsProfile() =>
        BrowserProfileLoader.LoadFile(Path.Combine(BrowserRig.RepositoryRoot(), "scenarios", "system", "android-settings.yaml"));

    private sealed record Phone(VirtualPhoneFixture Fixture, AdbClient Client, DeviceClient Device) : IAsyncDisposable
    {
        public VirtualAndroid Android => Fixture.Phone.Android;
        public ValueTask DisposeAsync() => Fixture.DisposeAsync();
    }

    private async Task<Phone> StartPhoneAsync(string model, string locale, CancellationToken ct)
    {
        var builtIn = PhoneProfile.FindBuiltIn(model)!;
        var fixture = await VirtualPhoneFixture.StartAsync(_adb, builtIn with { Rooted = false, Locale = locale }, new VirtualPhoneOptions(), ct);
        var client = new AdbClient(new AdbClientOptions { Port = _adb.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        var device = new DeviceClient(client, await client.GetDeviceAsync(fixture.Serial, ct)) { PollInterval = TimeSpan.FromMilliseconds(50) };
        return new Phone(fixture, client, device);
    }

    private static Task<BrowserDriver> AttachAsync(Phone phone, CancellationToken ct) =>
        BrowserDriver.AttachAsync(new DeviceClientUi(phone.Device), SettingsProfile(),
            new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(50), StepTimeout = TimeSpan.FromSeconds(5), TapCheckTimeout = TimeSpan.FromSeconds(2) }, ct);

    private string PushedName => $"harness-ca-{_ca.SubjectHashOld}.crt";

    private async Task PushAsync(Phone phone, byte[] content, CancellationToken ct)
    {
        using var stream = new MemoryStream(content);
        await phone.Client.PushAsync(phone.Fixture.Serial, stream, "/sdcard/Download/" + PushedName, cancellationToken: ct);
    }

    [TestCase("Redmi Note 8", "en-US")]
    [TestCase("Redmi Note 8", "es-ES")]
    [TestCase("Redmi K20", "en-US")]
    [TestCase("Mi 10", "es-ES")]
    [CancelAfter(120_000)]
    public async Task The_profile_installs_reads_back_and_removes_the_user_CA(string model, string locale, CancellationToken ct)
    {
        await using var phone = await StartPhoneAsync(model, locale, ct);
        await PushAsync(phone, Encoding.ASCII.GetBytes(_ca.ExportPem()), ct);
        var driver = await AttachAsync(phone, ct);
        Assert.That(driver.Profile.Kind, Is.EqualTo(ProfileKind.SystemApp));
        Assert.That(driver.Language, Is.EqualTo(locale[..2]));
        var arguments = new ActionArguments(File: PushedName, Certificate: CaName);

        await driver.LaunchAsync(ct);
        Assert.That((await driver.RunAsync(BrowserAction.UserCaState, arguments, ct)).State, Is.False, "no user CA before the install");

        await driver.LaunchAsync(ct);
        await driver.RunAsync(BrowserAction.InstallUserCa, arguments, ct);
        var stored = phone.Android.UserCaCertificates();
        Assert.That(stored.Select(f => f.Key), Is.EqualTo(new[] { _ca.AndroidSystemStoreFileName }), "the user store holds our CA under its subject_hash_old name");
        Assert.That(Encoding.ASCII.GetString(stored[0].Value), Does.Contain("-----BEGIN CERTIFICATE-----"));
        using (var written = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(stored[0].Value)))
            Assert.That(written.Thumbprint, Is.EqualTo(_ca.PublicCertificate.Thumbprint));
        Assert.That(phone.Android.SystemCaCertificates().Select(f => f.Key), Does.Not.Contain(_ca.AndroidSystemStoreFileName), "the system store is untouched");

        await driver.LaunchAsync(ct);
        var state = await driver.RunAsync(BrowserAction.UserCaState, arguments, ct);
        Assert.That(state.State, Is.True);
        Assert.That(state.Text, Is.EqualTo(CaName));

        await driver.LaunchAsync(ct);
        await driver.RunAsync(BrowserAction.RemoveUserCa, arguments, ct);
        Assert.That(phone.Android.UserCaCertificates(), Is.Empty, "Remove → OK deleted the CA");
        await driver.LaunchAsync(ct);
        Assert.That((await driver.RunAsync(BrowserAction.UserCaState, arguments, ct)).State, Is.False);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_file_that_is_not_a_certificate_fails_the_install_step_with_the_screen_attached(CancellationToken ct)
    {
        await using var phone = await StartPhoneAsync("Redmi K20", "en-US", ct);
        await PushAsync(phone, Encoding.ASCII.GetBytes("not a certificate\n"), ct);
        var driver = await AttachAsync(phone, ct);
        await driver.LaunchAsync(ct);
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.RunAsync(BrowserAction.InstallUserCa, new ActionArguments(File: PushedName, Certificate: CaName), ct))!;
        Assert.That(failure.UiDumpXml, Does.Contain("the file isn't a certificate"));
        Assert.That(failure.ScreenshotPng, Is.Not.Null);
        Assert.That(phone.Android.UserCaCertificates(), Is.Empty);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_shell_cannot_write_the_user_store_and_Settings_resolves_by_action(CancellationToken ct)
    {
        await using var phone = await StartPhoneAsync("Redmi Note 8", "en-US", ct);
        var serial = phone.Fixture.Serial;
        await PushAsync(phone, Encoding.ASCII.GetBytes(_ca.ExportPem()), ct);
        var copy = await phone.Client.ShellAsync(serial, $"cp /sdcard/Download/{PushedName} {VirtualAndroid.UserCaDirectory}/{_ca.AndroidSystemStoreFileName}", ct);
        Assert.That(copy.ExitCode, Is.Not.EqualTo(0), "the adb shell may not fake a user-installed CA");
        Assert.That(phone.Android.UserCaCertificates(), Is.Empty);

        var start = await phone.Client.ShellAsync(serial, "am start -W -a android.settings.SECURITY_SETTINGS", ct);
        Assert.That(start.Stdout, Does.Contain("Status: ok").And.Contain("Activity: com.android.settings/"), start.Stdout + start.Stderr);
        var screen = await phone.Device.DumpScreenAsync(ct);
        Assert.That(screen.AllElements.Select(e => e.Text), Does.Contain("Encryption & credentials"));
        Assert.That(screen.AllElements.Select(e => e.Package).Distinct(), Is.EqualTo(new[] { SettingsApp.PackageId }));

        var wrong = await phone.Client.ShellAsync(serial, "am start -W -a android.settings.SECURITY_SETTINGS -p com.android.documentsui", ct);
        Assert.That(wrong.Stdout + wrong.Stderr, Does.Contain("unable to resolve"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Back_in_the_picker_returns_to_Settings_without_installing(CancellationToken ct)
    {
        await using var phone = await StartPhoneAsync("Mi 10", "en-US", ct);
        await PushAsync(phone, Encoding.ASCII.GetBytes(_ca.ExportPem()), ct);
        var device = phone.Device;
        await phone.Client.ShellAsync(phone.Fixture.Serial, "am start -W -a android.settings.SECURITY_SETTINGS", ct);
        foreach (var label in new[] { "Encryption & credentials", "Install a certificate", "CA certificate", "Install anyway" })
            await TapTextAsync(device, label, ct);
        Assert.That((await device.DumpScreenAsync(ct)).AllElements.Select(e => e.Package).Distinct(), Is.EqualTo(new[] { DocumentsUiApp.PackageId }));
        await device.KeyEventAsync("KEYCODE_BACK", ct);
        var back = await device.DumpScreenAsync(ct);
        Assert.That(back.AllElements.Select(e => e.Package).Distinct(), Is.EqualTo(new[] { SettingsApp.PackageId }));
        Assert.That(back.AllElements.Select(e => e.Text), Does.Contain("CA certificate"));
        Assert.That(phone.Android.UserCaCertificates(), Is.Empty);
    }

    private static async Task TapTextAsync(DeviceClient device, string text, CancellationToken ct)
    {
        var screen = await device.DumpScreenAsync(ct);
        var element = screen.AllElements.FirstOrDefault(e => e.Text == text) ?? throw new AssertionException($"\"{text}\" is not on screen:\n{screen.Xml}");
        await device.TapAsync(element.Center.X, element.Center.Y, ct);
    }
}
