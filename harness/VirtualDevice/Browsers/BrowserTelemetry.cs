using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Telemetry;

namespace Harness.VirtualDevice.Browsers;

/// <summary>
/// Everything a browser process sends besides what the user asked for, plus page loads: the Sensors SDK (with the
/// persistent uuid), MiStat, the remote config fetch, search suggestions and history sync. Lives as long as the
/// process: created on a cold start, disposed by force-stop or a crash.
/// </summary>
public sealed class BrowserTelemetry : IAsyncDisposable
{
    /// <summary>The anonymous id's file in the app's data: only pm clear or an uninstall removes it.</summary>
    public const string UuidFile = "sensors_uuid";

    /// <summary>The SDK's event database: events not yet uploaded when the process dies are sent by the next one.</summary>
    public const string PendingEventsFile = "sensors_events.json";

    private readonly VirtualAppContext _context;
    private readonly BrowserFlavor _flavor;
    private readonly BrowserVersionTraits _traits;
    private readonly PhoneHttpClient _http;
    private readonly SensorsSdk _sensors;
    private readonly MiStatClient _miStat;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Task> _background = [];
    private readonly string _dalvikUserAgent;

    public BrowserTelemetry(VirtualAppContext context, BrowserFlavor flavor, BrowserVersionTraits traits, string? signedInAccount)
    {
        _context = context;
        _flavor = flavor;
        _traits = traits;
        var android = context.Android;
        _http = android.Http ?? throw new InvalidOperationException("the phone has no network stack");
        Uuid = context.ReadDataText(UuidFile) ?? CreateUuid(context);
        var region = android.GetProperty("ro.miui.region") is { Length: > 0 } r ? r : flavor.ChinaBuild ? "CN" : "IN";
        var profile = android.Profile;
        var device = new SensorsDeviceProperties(profile.Release, profile.Manufacturer, profile.Model, context.Package.Manifest.VersionName,
            profile.ScreenWidth, profile.ScreenHeight, "", android.AndroidId);
        var dalvik = _dalvikUserAgent = $"Dalvik/2.1.0 (Linux; U; Android {profile.Release}; {profile.Model} MIUI/{profile.Incremental})";
        _sensors = new SensorsSdk(_http, new SensorsSdkOptions
        {
            Project = flavor.SensorsProject,
            Region = region,
            ServerHost = flavor.SensorsHost,
            TimeFactor = android.TimeFactor,
            UserAgent = dalvik,
            NetworkPolicy = TelemetryPolicy,
            ConfigPath = traits.SensorsConfigPath ?? "/config/Android.conf",
            Encoder = new SensorsEncoderOptions { Encrypted = traits.EncryptsUploads },
        }, device, Uuid);
        _sensors.RegisterSuperProperties(
        [
            new("uuid", Uuid),
            new("internet_status", "wifi"),
            new("platform", "AndroidApp"),
            new("miui_version", android.GetProperty("ro.miui.ui.version.name") ?? ""),
            new("miui_region", region),
            new("system_language", context.Language),
        ]);
        if (signedInAccount != null) _sensors.RestoreLogin(signedInAccount);
        _sensors.Restore(LoadPendingEvents(context));
        _miStat = new MiStatClient(_http, new MiStatOptions
        {
            AppId = flavor.MiStatAppId,
            PackageName = flavor.Package,
            Host = flavor.MiStatHost,
            Path = "/mistats/v2",
            Region = region,
            UserAgent = dalvik,
            Network = AppPolicy,
        }, device);
    }

    /// <summary>The persistent anonymous analytics id.</summary>
    public string Uuid { get; }

    private AppNetworkPolicy AppPolicy => new() { AppUid = _context.Uid, TrustUserCertificates = _traits.TrustsUserCertificates };

    /// <summary>The Sensors SDK's network policy, asked per request so that faults switched on later apply.</summary>
    private AppNetworkPolicy TelemetryPolicy()
    {
        var faults = _context.Android.Faults;
        var policy = AppPolicy with { BypassProxy = faults.TelemetryBypassesProxy, QuicHint = _traits.TelemetryOverQuic };
        if (faults.PinnedTelemetry && _context.Android.NetworkEnvironment is { } network)
        {
            // The genuine server chains to the internet's root: pinning it refuses any interception CA.
            policy = policy with { Pinner = new CertificatePinner().Add(_flavor.SensorsHost, CertificatePinner.PinOf(network.Internet.RootCertificate)) };
        }
        return policy;
    }

    public void Start()
    {
        if (!_traits.UploadsNeedRemoteConfig) _sensors.Start();
        _sensors.Track("$AppStart", new JsonObject { ["$is_first_time"] = false, ["$resume_from_background"] = false });
        Run(async ct =>
        {
            var config = await _sensors.FetchRemoteConfigAsync(ct).ConfigureAwait(false);
            if (_traits.UploadsNeedRemoteConfig)
            {
                if (config is null) _context.Log('W', "SA.SensorsDataAPI", "remote config unreadable: uploads stay off, events kept in the database");
                else _sensors.Start();
            }
        });
        if (_traits.ImeiSha256To is { } collector) ReportImeiHash(collector);
        Run(async ct => await _miStat.ReportAsync("app_start", new JsonObject { ["version"] = _context.Package.Manifest.VersionName }, ct).ConfigureAwait(false));
    }

    public void Track(string eventName, JsonObject properties) => _sensors.Track(eventName, properties);

    /// <summary>What an ad SDK's device report looks like: the IMEI hashed (SHA-256, lower-case hex), package and time, as JSON.</summary>
    private void ReportImeiHash(string host)
    {
        var android = _context.Android;
        var body = new JsonObject
        {
            ["did"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(android.Imei))).ToLowerInvariant(),
            ["did_type"] = "imei_sha256",
            ["pkg"] = _flavor.Package,
            ["os"] = "android",
            ["ts"] = android.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        Run(async ct => await _http.SendAsync(AppPolicy.ApplyTo(new PhoneHttpRequest("POST", new Uri($"https://{host}/v2/device"))
        {
            Headers = [new("Content-Type", "application/json; charset=utf-8"), new("User-Agent", _dalvikUserAgent)],
            Body = Encoding.UTF8.GetBytes(AndroidJsonWriter.Write(body)),
        }), ct).ConfigureAwait(false));
    }

    /// <summary>distinct_id becomes the Mi Account id; the sign-up event is flushed at once.</summary>
    /// <summary>
    /// Signs in as the Mi Account web login does: a form POST to account.xiaomi.com with the account and the upper-case
    /// MD5 hex of the password (never the password itself), then the analytics learn the account.
    /// </summary>
    public void SignIn(string account, string password, string userAgent)
    {
        var hash = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(password)));
        var form = $"user={Uri.EscapeDataString(account)}&hash={hash}&sid=miuibrowser&_json=true";
        Run(async ct => await _http.SendAsync(AppPolicy.ApplyTo(new PhoneHttpRequest("POST", new Uri("https://account.xiaomi.com/pass/serviceLoginAuth2"))
        {
            Headers = [new("Content-Type", "application/x-www-form-urlencoded"), new("User-Agent", userAgent)],
            Body = Encoding.UTF8.GetBytes(form),
        }), ct).ConfigureAwait(false));
        _sensors.Login(account);
        Run(async ct => await _miStat.ReportAsync("account_login", new JsonObject(), ct).ConfigureAwait(false));
    }

    public void SignOut() => _sensors.Logout();

    /// <summary>Loads a page through the phone's network stack; returns its title (the URL when it has none).</summary>
    public async Task<string> LoadPageAsync(string url, string userAgent, string cannotReach, CancellationToken ct)
    {
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct, _lifetime.Token);
            budget.CancelAfter(TimeSpan.FromSeconds(20));
            var response = await _http.SendAsync(AppPolicy.ApplyTo(new PhoneHttpRequest("GET", new Uri(url))
            {
                Headers =
                [
                    new("User-Agent", userAgent),
                    new("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"),
                    new("Accept-Language", _context.Locale + "," + _context.Language + ";q=0.9"),
                    new("Accept-Encoding", "gzip, deflate"),
                ],
            }), budget.Token).ConfigureAwait(false);
            var match = BrowserApp.TitlePattern().Match(response.BodyText);
            var title = match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : "";
            return title.Length > 0 ? title : url;
        }
        catch (Exception e) when (e is PhoneNetworkException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            _context.Log('W', "chromium", $"net::ERR_CONNECTION_FAILED {url}: {e.Message}");
            return cannotReach;
        }
    }

    /// <summary>Chromium asks the search engine for suggestions while the user types.</summary>
    public void RequestSuggestions(string url, string userAgent) =>
        Run(async ct => await _http.SendAsync(AppPolicy.ApplyTo(new PhoneHttpRequest("GET", new Uri(url))
        {
            Headers = [new("User-Agent", userAgent), new("Accept", "*/*")],
        }), ct).ConfigureAwait(false));

    /// <summary>POST of the visited page to the vendor's sync service (signed in, sync on, not incognito).</summary>
    public void SyncHistory(string account, string url, string title, string userAgent)
    {
        var body = new JsonObject
        {
            ["account"] = account,
            ["device_id"] = _context.Android.AndroidId,
            ["items"] = new JsonArray(new JsonObject { ["url"] = url, ["title"] = title, ["visit_time"] = _context.Android.Clock.GetUtcNow().ToUnixTimeMilliseconds() }),
        };
        Run(async ct => await _http.SendAsync(AppPolicy.ApplyTo(new PhoneHttpRequest("POST", new Uri($"https://{_flavor.SyncHost}/v1/history"))
        {
            Headers = [new("Content-Type", "application/json; charset=utf-8"), new("User-Agent", userAgent)],
            Body = Encoding.UTF8.GetBytes(AndroidJsonWriter.Write(body)),
        }), ct).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_background) pending = _background.ToArray();
        try { await Task.WhenAll(pending).ConfigureAwait(false); }
        catch (Exception) { /* the process is gone; so are its sockets */ }
        await _sensors.DisposeAsync().ConfigureAwait(false);
        _context.WriteDataText(PendingEventsFile, JsonSerializer.Serialize(_sensors.PendingEvents()));
        _lifetime.Dispose();
    }

    private static IReadOnlyList<SensorsEvent> LoadPendingEvents(VirtualAppContext context)
    {
        var text = context.ReadDataText(PendingEventsFile);
        if (text == null) return [];
        try { return JsonSerializer.Deserialize<List<SensorsEvent>>(text) ?? []; }
        catch (JsonException) { return []; }
    }

    private static string CreateUuid(VirtualAppContext context)
    {
        var uuid = Guid.NewGuid().ToString();
        context.WriteDataText(UuidFile, uuid);
        return uuid;
    }

    // Fire-and-forget from the app's point of view, but owned: a stopped process cancels and awaits them.
    private void Run(Func<CancellationToken, Task> work)
    {
        var token = _lifetime.Token;
        var task = Task.Run(async () =>
        {
            try { await work(token).ConfigureAwait(false); }
            catch (Exception e) when (e is PhoneNetworkException or OperationCanceledException) { }
        }, CancellationToken.None);
        lock (_background)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }
}
