using Harness.Adb;
using Harness.Browsers;
using Harness.TestSupport;
using Harness.VirtualDevice.Apps;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>
/// The driver through <see cref="DeviceClientUi"/>, the real adb server and a virtual phone, on the phone's trivial
/// notes app (the virtual browsers come later): version read, launcher activity resolved on the phone, locale read,
/// a recipe with a label fallback in English and Spanish, and a failing check with a real screenshot and dump.
/// </summary>
[TestFixture, Category("Integration")]
public sealed class BrowserDriverIntegrationTests
{
    private const string NotesProfile = """
        id: notes
        name: Notes
        package: com.example.notes
        user-agent: "Notes/"
        languages: [en, es]
        selectors:
          input: { id: note_input, class: android.widget.EditText }
          # A stale id on purpose: the button is found by its label in the phone's language.
          save: { id: save_button, text: { en: Save, es: Guardar } }
          saved: { id: saved }
        recipes:
          search:
            - tap: input
              expect: { focused: input }
            - type: "{term}"
            - tap: save
              expect: { text-contains: saved, text: "{term}" }
          open-url:
            - wait-for: { present: { id: no_such_view } }
              timeout: 1s
        versions:
          - range: ">=1.0 <2.0"
            actions: [search, open-url]
        """;

    private PrivateAdbServer _server = null!;
    private VirtualPhoneFixture _phone = null!;
    private AdbClient _client = null!;
    private DeviceClientUi _ui = null!;

    [OneTimeSetUp]
    public async Task StartPhone()
    {
        _server = await PrivateAdbServer.StartAsync();
        _phone = await VirtualPhoneFixture.StartAsync(_server);
        _client = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        var apk = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.apk");
        VirtualApk.Write(apk, NotesApp.Manifest("1.2", 12));
        try { await _client.InstallAsync(_phone.Serial, apk); }
        finally { File.Delete(apk); }
        _ui = new DeviceClientUi(new DeviceClient(_client, await _client.GetDeviceAsync(_phone.Serial)));
    }

    [OneTimeTearDown]
    public async Task StopPhone()
    {
        if (_phone is not null) await _phone.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static readonly BrowserDriverOptions Options = new() { StepTimeout = TimeSpan.FromSeconds(15), PollInterval = TimeSpan.FromMilliseconds(100) };

    [TestCase("en-US", "en")]
    [TestCase("es-ES", "es")]
    public async Task A_recipe_runs_on_the_phone_in_its_language(string locale, string language)
    {
        await _client.ShellAsync(_phone.Serial, $"setprop persist.sys.locale {locale}");
        var profile = BrowserProfileLoader.Parse(NotesProfile, "notes.yaml");
        var driver = await BrowserDriver.AttachAsync(_ui, profile, Options);
        Assert.That(driver.InstalledVersion, Is.EqualTo("1.2"));
        Assert.That(driver.Language, Is.EqualTo(language));

        await driver.ForceStopAsync();
        await driver.LaunchAsync();
        var term = "canary" + language + Guid.NewGuid().ToString("N")[..8];
        var result = await driver.SearchAsync(term);
        Assert.That(result.Taps, Is.GreaterThanOrEqualTo(2));
        var screen = await _ui.DumpAsync(CancellationToken.None);
        Assert.That(screen.AllElements.Single(e => e.ResourceId == "com.example.notes:id/saved").Text, Is.EqualTo(term));
    }

    [Test]
    public async Task The_launcher_activity_is_resolved_on_the_phone()
    {
        Assert.That(await _ui.ResolveLauncherActivityAsync(NotesApp.PackageId, CancellationToken.None), Does.StartWith("com.example.notes/"));
        Assert.That(await _ui.GetPackageVersionNameAsync("com.mi.globalbrowser.mini", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_failing_check_carries_a_real_screenshot_and_dump()
    {
        var driver = await BrowserDriver.AttachAsync(_ui, BrowserProfileLoader.Parse(NotesProfile, "notes.yaml"), Options);
        await driver.LaunchAsync();
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.OpenUrlAsync("https://canary.example/"));
        Assert.That(failure!.ScreenshotPng!.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(failure.UiDumpXml, Does.Contain("com.example.notes:id/note_input"));
        Assert.That(failure.Message, Does.Contain("notes.yaml:"));
    }
}
