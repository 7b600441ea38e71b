using System.Text.Json.Nodes;
using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Network.Internet;
using Harness.VirtualDevice.Telemetry;
using Harness.VirtualDevice.Tests.Network;

namespace Harness.VirtualDevice.Tests.Telemetry;

[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class SensorsSdkTests
{
    private const string AndroidId = "7f3c2a1b9d8e4f60";
    private const string Uuid = "c0a8e3a5-1f4b-4d8e-9a57-3b2f1e6d9c10";

    private static readonly SensorsDeviceProperties Device = new("9", "Xiaomi", "Redmi Note 8", "3.4.0", 1080, 2340, "Jio", AndroidId);

    private VirtualInternetAuthority _authority = null!;
    private VirtualInternet _internet = null!;
    private FakePhoneNetworkEnvironment _phone = null!;
    private PhoneHttpClient _http = null!;
    private CancellationTokenSource _testBudget = null!;

    private CancellationToken Token => _testBudget.Token;

    private IEnumerable<VirtualInternetRequest> Uploads => _internet.ReceivedRequests.Where(r => r.Host == "sa.api.intl.miui.com" && r.Path == "/sa");

    [OneTimeSetUp]
    public void CreateAuthority() => _authority = VirtualInternetAuthority.Create();

    [OneTimeTearDown]
    public void DisposeAuthority() => _authority.Dispose();

    [SetUp]
    public void StartInternet()
    {
        _testBudget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _internet = VirtualInternet.Start(_authority);
        _phone = new FakePhoneNetworkEnvironment(_internet);
        _phone.SystemStore.Add(_internet.RootCertificate);
        _http = new PhoneHttpClient(_phone);
    }

    [TearDown]
    public async Task StopInternet()
    {
        await _internet.DisposeAsync();
        _testBudget.Dispose();
    }

    [Test]
    public async Task Uploaded_event_has_the_2020_sdk_shape_with_device_and_super_properties()
    {
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini" });

        var tracked = sdk.Track("page_load_event_start", new JsonObject { ["url"] = "https://canary.example/private/page" });
        var sent = await sdk.FlushAsync(Token);

        Assert.That(sent, Is.EqualTo(1));
        var upload = Uploads.Single();
        Assert.Multiple(() =>
        {
            Assert.That(upload.Method, Is.EqualTo("POST"));
            Assert.That(upload.Target, Is.EqualTo("/sa?project=global_browser_mini&r=IN"));
            Assert.That(upload.Header("Content-Type"), Is.EqualTo("application/x-www-form-urlencoded"));
            Assert.That(upload.BodyText, Does.Contain("%2F").Or.Contain("%2B").Or.Contain("%3D"));
        });
        var evt = SensorsWireFormat.DecodeBody(upload.BodyText).Single()!.AsObject();
        Assert.That(evt.Select(p => p.Key), Is.EqualTo(new[] { "_track_id", "time", "type", "distinct_id", "lib", "event", "properties", "_flush_time" }));
        Assert.Multiple(() =>
        {
            Assert.That(evt["_track_id"]!.GetValue<int>(), Is.EqualTo(tracked.TrackId));
            Assert.That(evt["type"]!.GetValue<string>(), Is.EqualTo("track"));
            Assert.That(evt["distinct_id"]!.GetValue<string>(), Is.EqualTo(Uuid));
            Assert.That(evt["event"]!.GetValue<string>(), Is.EqualTo("page_load_event_start"));
            Assert.That(evt["_flush_time"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(evt["time"]!.GetValue<long>()));
            Assert.That(evt["time"]!.GetValue<long>(), Is.GreaterThan(1_500_000_000_000L), "milliseconds since the epoch");
            Assert.That(JsonNode.DeepEquals(
                evt["lib"],
                new JsonObject { ["$lib"] = "Android", ["$lib_version"] = "4.0.4", ["$app_version"] = "3.4.0", ["$lib_method"] = "code" }), Is.True);
        });
        var properties = evt["properties"]!.AsObject();
        Assert.That(properties.Select(p => p.Key), Is.EqualTo(new[]
        {
            "$os", "$os_version", "$manufacturer", "$model", "$app_version", "$screen_width", "$screen_height", "$carrier", "$device_id", "$wifi", "$network_type",
            "uuid", "internet_status", "platform", "miui_version", "miui_region", "system_language", "url",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(properties["$device_id"]!.GetValue<string>(), Is.EqualTo(AndroidId));
            Assert.That(properties["$model"]!.GetValue<string>(), Is.EqualTo("Redmi Note 8"));
            Assert.That(properties["$screen_height"]!.GetValue<int>(), Is.EqualTo(2340));
            Assert.That(properties["$wifi"]!.GetValue<bool>(), Is.True);
            Assert.That(properties["uuid"]!.GetValue<string>(), Is.EqualTo(Uuid));
            Assert.That(properties["platform"]!.GetValue<string>(), Is.EqualTo("AndroidApp"));
            Assert.That(properties["url"]!.GetValue<string>(), Is.EqualTo("https://canary.example/private/page"));
        });
        Assert.That(sdk.PendingCount, Is.Zero);
    }

    [Test]
    public async Task Hundred_buffered_events_flush_at_once_in_posts_of_at_most_fifty()
    {
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini", TimeFactor = 1.0 });
        sdk.Start();

        for (var i = 0; i < 99; i++)
        {
            sdk.Track("page_load_event_finish", new JsonObject { ["url"] = $"https://canary.example/{i}" });
        }

        Assert.That(sdk.PendingCount, Is.EqualTo(99));
        Assert.That(Uploads, Is.Empty, "99 events stay buffered until the 15 s timer");
        sdk.Track("page_load_event_finish", new JsonObject { ["url"] = "https://canary.example/99" });

        await _internet.WaitUntilAsync(all => all.Sum(r => r.Path == "/sa" ? SensorsWireFormat.DecodeBody(r.BodyText).Count : 0) >= 100, Token);

        var batches = Uploads.Select(r => SensorsWireFormat.DecodeBody(r.BodyText)).ToList();
        Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 50, 50 }));
        var urls = batches.SelectMany(b => b).Select(e => e!["properties"]!["url"]!.GetValue<string>());
        Assert.That(urls, Is.EqualTo(Enumerable.Range(0, 100).Select(i => $"https://canary.example/{i}")), "in order, none lost, none twice");
    }

    [Test]
    public async Task Timer_flushes_a_few_events_after_the_scaled_interval()
    {
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini", TimeFactor = 0.01 });
        sdk.Start();

        sdk.Track("search", new JsonObject { ["used_searchengine"] = "google", ["search_word"] = "secret term", ["search_method"] = "input", ["search_position"] = "home" });
        sdk.Track("page_load_event_start", new JsonObject { ["url"] = "https://www.google.com/search?q=secret+term" });
        var upload = await _internet.WaitForRequestAsync(r => r.Path == "/sa", Token);

        var events = SensorsWireFormat.DecodeBody(upload.BodyText);
        Assert.That(events.Select(e => e!["event"]!.GetValue<string>()), Is.EqualTo(new[] { "search", "page_load_event_start" }));
        Assert.That(events[0]!["properties"]!["search_word"]!.GetValue<string>(), Is.EqualTo("secret term"));
    }

    [Test]
    public async Task Explicit_flush_splits_into_posts_of_at_most_fifty()
    {
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "p", FlushBulkSize = 1000 });
        for (var i = 0; i < 120; i++)
        {
            sdk.Track("news_feed_item_view", new JsonObject { ["item"] = i });
        }

        var sent = await sdk.FlushAsync(Token);

        Assert.That(sent, Is.EqualTo(120));
        Assert.That(Uploads.Select(r => SensorsWireFormat.DecodeBody(r.BodyText).Count), Is.EqualTo(new[] { 50, 50, 20 }));
        Assert.That(sdk.SuccessfulPosts, Is.EqualTo(3));
    }

    [Test]
    public async Task Sign_in_switches_distinct_id_to_the_mi_account_and_flushes_the_signup_at_once()
    {
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini", TimeFactor = 1.0 });
        sdk.Start();
        sdk.Track("page_load_event_start", new JsonObject { ["url"] = "https://canary.example/before" });

        sdk.Login("3150123456");
        var upload = await _internet.WaitForRequestAsync(r => r.Path == "/sa", Token);
        var after = sdk.Track("page_load_event_start", new JsonObject { ["url"] = "https://canary.example/after" });

        var events = SensorsWireFormat.DecodeBody(upload.BodyText);
        Assert.Multiple(() =>
        {
            Assert.That(events, Has.Count.EqualTo(2));
            Assert.That(events[0]!["distinct_id"]!.GetValue<string>(), Is.EqualTo(Uuid));
            Assert.That(events[1]!["type"]!.GetValue<string>(), Is.EqualTo("track_signup"));
            Assert.That(events[1]!["distinct_id"]!.GetValue<string>(), Is.EqualTo("3150123456"));
            Assert.That(events[1]!["original_id"]!.GetValue<string>(), Is.EqualTo(Uuid));
            Assert.That(events[1]!["properties"]!["uuid"]!.GetValue<string>(), Is.EqualTo(Uuid), "the anonymous uuid still travels as a super property");
            Assert.That(after.DistinctId, Is.EqualTo("3150123456"));
            Assert.That(sdk.DistinctId, Is.EqualTo("3150123456"));
        });
    }

    [Test]
    public async Task Failed_upload_keeps_the_events_for_the_next_flush()
    {
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini" });
        for (var i = 0; i < 5; i++)
        {
            sdk.Track("page_load_event_start", new JsonObject { ["url"] = $"https://canary.example/{i}" });
        }

        var sentWhileBroken = await sdk.FlushAsync(Token);

        Assert.That(sentWhileBroken, Is.Zero);
        Assert.That(sdk.PendingCount, Is.EqualTo(5));
        Assert.That(sdk.LastFlushError, Is.InstanceOf<PhoneNetworkException>().With.Property(nameof(PhoneNetworkException.Failure)).EqualTo(PhoneNetworkFailure.ConnectionRefused));
        Assert.That(_internet.ReceivedRequests, Is.Empty);

        _phone.SetGlobal("http_proxy", ":0");
        var sentAfterRepair = await sdk.FlushAsync(Token);

        Assert.That(sentAfterRepair, Is.EqualTo(5));
        Assert.That(sdk.PendingCount, Is.Zero);
        Assert.That(sdk.LastFlushError, Is.Null);
        Assert.That(SensorsWireFormat.DecodeBody(Uploads.Single().BodyText), Has.Count.EqualTo(5));
    }

    [Test]
    public async Task Sdk_that_bypasses_the_proxy_still_delivers_when_the_proxy_is_dead()
    {
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini", Network = new AppNetworkPolicy { BypassProxy = true, AppUid = 10187 } });
        sdk.Track("page_load_event_start", new JsonObject { ["url"] = "https://canary.example/x" });

        var sent = await sdk.FlushAsync(Token);

        Assert.That(sent, Is.EqualTo(1));
        Assert.That(_phone.LocalConnectAttempts, Is.Empty);
        Assert.That(_phone.EverRegistered.Single().Uid, Is.EqualTo(10187));
    }

    [Test]
    public async Task Config_fetch_gets_the_android_conf()
    {
        await using var sdk = CreateSdk(new SensorsSdkOptions { Project = "global_browser_mini" });

        var config = await sdk.FetchRemoteConfigAsync(Token);

        Assert.That(config?["configs"]?["disableSDK"]?.GetValue<bool>(), Is.False);
        Assert.That(_internet.ReceivedRequests.Single().Path, Is.EqualTo("/config/Android.conf"));
    }

    [Test]
    public async Task Mistat_report_carries_the_device_fields()
    {
        var client = new MiStatClient(_http, new MiStatOptions { AppId = "2882303761517", PackageName = "com.mi.globalbrowser.mini" }, Device);

        var delivered = await client.ReportAsync("page_load", new JsonObject { ["duration"] = 120 }, Token);

        Assert.That(delivered, Is.True);
        var request = _internet.ReceivedRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Host, Is.EqualTo("data.mistat.intl.xiaomi.com"));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(VirtualInternetRequest.FormField(request.BodyText, "device_id"), Is.EqualTo(AndroidId));
            Assert.That(VirtualInternetRequest.FormField(request.BodyText, "pkg"), Is.EqualTo("com.mi.globalbrowser.mini"));
            Assert.That(JsonNode.Parse(VirtualInternetRequest.FormField(request.BodyText, "events")!)![0]!["event"]!.GetValue<string>(), Is.EqualTo("page_load"));
        });
    }

    private SensorsSdk CreateSdk(SensorsSdkOptions options)
    {
        var sdk = new SensorsSdk(_http, options, Device, Uuid);
        sdk.RegisterSuperProperties(
        [
            new("uuid", Uuid),
            new("internet_status", "wifi"),
            new("platform", "AndroidApp"),
            new("miui_version", "V11.0.3.0.PCOINXM"),
            new("miui_region", "IN"),
            new("system_language", "en_US"),
        ]);
        return sdk;
    }
}
