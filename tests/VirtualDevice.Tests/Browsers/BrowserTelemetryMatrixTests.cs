using Harness.Flows;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>
/// Each shipped version in each mode, driven through the real adb server (BrowserDriver over DeviceClient, with the
/// shipped profiles) and captured by the harness's proxy: which endpoints received which fields.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BrowserTelemetryMatrixTests
{
    public enum Mode { Normal, Incognito, IncognitoEnhanced }

    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync()
    {
        if (_adb != null) await _adb.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        // A build that never uploads (mint@3.5.1, unreadable remote config) has no matrix to show: its silence is
        // checked where it matters, by the heartbeat rule (Scenarios.Tests VirtualRackEndToEndTests). One whose uploads
        // go over QUIC (mibrowser@12.2.0) sends nothing through this rig's proxy unless UDP 443 is dropped: checked with
        // the drop and without it in Scenarios.Tests QuicDnsAndIdentifiersEndToEndTests. Nor has one whose uploads are
        // encrypted (mint@3.5.0): no proxy reads them, which the differential tests show.
        foreach (var version in BrowserCatalog.Versions.Where(v => !v.Traits.UploadsNeedRemoteConfig && !v.Traits.TelemetryOverQuic && !v.Traits.EncryptsUploads))
        {
            foreach (var mode in Enum.GetValues<Mode>())
            {
                if (mode == Mode.IncognitoEnhanced && !version.Traits.HasEnhancedIncognito) continue;
                yield return new TestCaseData(version.Name, mode).SetName($"{version.Flavor.Id}_{version.VersionName}_{mode}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(90_000)]
    public async Task Endpoints_receive_what_the_version_sends_in_the_mode(string versionName, Mode mode, CancellationToken ct)
    {
        var version = BrowserCatalog.Find(versionName)!;
        var flavor = version.Flavor;
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.InstallAsync(version, ct);
        await rig.RouteThroughProxyAsync(ct);
        var driver = await rig.AttachDriverAsync(flavor, ct);
        Assert.That(driver.InstalledVersion, Is.EqualTo(version.VersionName));
        await driver.LaunchAsync(ct);

        if (mode != Mode.Normal)
        {
            await driver.SetIncognitoAsync(true, ct);
            Assert.That(await driver.IsIncognitoAsync(ct), Is.True);
        }
        if (mode == Mode.IncognitoEnhanced) await driver.SetEnhancedIncognitoAsync(true, ct);

        var token = Guid.NewGuid().ToString("N")[..12];
        var canaryUrl = $"https://canary-{token}.example.org/page/{token}";
        var term = "term" + token;
        await driver.OpenUrlAsync(canaryUrl, ct);
        await driver.SearchAsync(term, ct);

        // A marker page after leaving incognito: once its finish event is uploaded, every earlier event was flushed too.
        if (mode != Mode.Normal) await driver.SetIncognitoAsync(false, ct);
        var marker = $"https://marker-{Guid.NewGuid():N}.example.org/";
        await driver.OpenUrlAsync(marker, ct);
        var flows = await rig.WaitForFlowsAsync(
            all => SensorsCapture.From(all, flavor.SensorsHost).Has("page_load_event_finish", "url", marker)
                   && all.Any(f => f.Host == flavor.MiStatHost) && all.Any(f => f.Url?.Contains("/config/Android.conf") == true),
            TimeSpan.FromSeconds(30), "the marker's page_load_event_finish, MiStat and the config fetch", ct);

        var sensors = SensorsCapture.From(flows, flavor.SensorsHost);
        var androidId = (await rig.Client.ShellAsync(rig.Serial, "settings get secure android_id", ct)).Stdout.Trim();
        var region = (await rig.Client.GetPropertyAsync(rig.Serial, "ro.miui.region", ct)).Trim();
        var expectBrowsing = !version.Traits.HasEnhancedIncognito || mode != Mode.Incognito;
        Assert.Multiple(() =>
        {
            foreach (var upload in sensors.Uploads)
            {
                var query = new Uri(upload.Url!).Query;
                Assert.That(query, Does.Contain("project=" + flavor.SensorsProject).And.Contain("r=" + region), upload.Url);
                Assert.That(upload.Tls?.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
            }
            var uuid = (string?)sensors.Events[0]["properties"]!["uuid"];
            Assert.That(uuid, Is.Not.Null.And.Length.EqualTo(36));
            foreach (var e in sensors.Events)
            {
                Assert.That((string?)e["distinct_id"], Is.EqualTo(uuid), "anonymous: distinct_id is the uuid");
                Assert.That((string?)e["properties"]!["uuid"], Is.EqualTo(uuid));
                Assert.That((string?)e["properties"]!["$device_id"], Is.EqualTo(androidId));
                Assert.That((string?)e["properties"]!["$model"], Is.EqualTo("Redmi Note 8"));
                Assert.That((string?)e["properties"]!["$manufacturer"], Is.EqualTo("Xiaomi"));
                Assert.That((string?)e["properties"]!["platform"], Is.EqualTo("AndroidApp"));
            }
            Assert.That(sensors.Named("$AppStart"), Is.Not.Empty, "app start is sent in every mode");

            Assert.That(sensors.Has("page_load_event_start", "url", canaryUrl), Is.EqualTo(expectBrowsing), "page_load_event_start with the canary URL");
            Assert.That(sensors.Has("page_load_event_finish", "url", canaryUrl), Is.EqualTo(expectBrowsing), "page_load_event_finish with the canary URL");
            Assert.That(sensors.Has("search", "search_word", term), Is.EqualTo(expectBrowsing), "search with search_word");
            if (!expectBrowsing) Assert.That(sensors.Mentions(token), Is.False, "nothing of the incognito browsing reaches Sensors");
            if (expectBrowsing) Assert.That(sensors.Named("search").First(e => (string?)e["properties"]!["search_word"] == term)["properties"]!["used_searchengine"]!.GetValue<string>(), Is.EqualTo("google"));

            Assert.That(flows.Any(f => f.Method == "GET" && f.Url == canaryUrl && UserAgentOf(f).Contains(flavor.UserAgentToken + version.VersionName + flavor.UserAgentVersionSuffix)),
                Is.True, "the page itself is loaded from its origin with the app's UA");
            Assert.That(flows.Any(f => f.Method == "GET" && f.Url == $"https://www.google.com/search?q={term}"), Is.True, "the search goes to the engine");
            Assert.That(flows.Any(f => f.Method == "GET" && f.Url == $"https://www.google.com/complete/search?client=chrome&q={term}"), Is.True, "suggestions while typing");
            Assert.That(flows.Any(f => f.Method == "POST" && f.Host == flavor.MiStatHost && f.Url!.EndsWith("/mistats/v2")), Is.True, "MiStat");
            Assert.That(flows.Any(f => f.Host == flavor.SyncHost), Is.False, "no history sync when signed out");
        });
    }

    private static string UserAgentOf(Flow flow) => flow.RequestHeaders.FirstOrDefault(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase))?.Value ?? "";
}
