using System.Globalization;
using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Browsers;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// Virtual phones on a private adb server, a devices.json naming them, and a private output / history / key folder:
/// what the leak suite needs to run inside a test without touching the user's adb server or ~/.harness.
/// </summary>
internal sealed class SuiteRack : IAsyncDisposable
{
    /// <summary>Scales the phones' app timers: the 15 s Sensors flush takes 1.5 s.</summary>
    public const double TimeFactor = 0.1;

    private readonly List<VirtualPhoneFixture> _phones = [];

    /// <summary>The rack's local internet: the proxies forward to it as to a lab with split DNS and its own CA.</summary>
    private readonly VirtualInternet _internet = VirtualInternet.Start();

    /// <summary>The account the rack file names (a secrets file in the rack's folder).</summary>
    public const string AccountId = "suite-test-account";
    public const string AccountPassword = "Suite-Pw-never-stored-42";

    private SuiteRack(PrivateAdbServer adb, TempFolder folder)
    {
        Adb = adb;
        Folder = folder;
    }

    public PrivateAdbServer Adb { get; }
    public TempFolder Folder { get; }
    public IReadOnlyList<VirtualPhoneFixture> Phones => _phones;
    public string DevicesFile => Folder.Combine("devices.json");
    public string HistoryDatabase => Folder.Combine("history.db");

    /// <summary>One phone per entry, each with the given browsers (e.g. "mint@3.4.0") preinstalled.</summary>
    public static Task<SuiteRack> StartAsync(params (string Model, string[] Apps)[] phones) => StartAsync(TimeFactor, phones);

    /// <summary>
    /// The same at another timer scale. A fixed build in its private configuration uploads only its launch events, so
    /// its case passes the telemetry heartbeat only when that first flush comes after the browsing step, as at real time (1.0).
    /// </summary>
    public static async Task<SuiteRack> StartAsync(double timeFactor, params (string Model, string[] Apps)[] phones)
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        var rack = new SuiteRack(await PrivateAdbServer.StartAsync(), new TempFolder("harness-mainjob"));
        try
        {
            foreach (var (model, apps) in phones)
            {
                // Rooted, as in the shipped devices.json: the CA goes into the system store the browsers trust.
                var profile = (PhoneProfile.FindBuiltIn(model) ?? throw new ArgumentException($"unknown model {model}")) with { Rooted = true };
                var manifests = apps.Select(a => (BrowserCatalog.Find(a) ?? throw new ArgumentException($"unknown browser version {a}")).Manifest).ToList();
                rack._phones.Add(await VirtualPhoneFixture.StartAsync(rack.Adb, profile, new VirtualPhoneOptions { Preinstalled = manifests, TimeFactor = timeFactor, Internet = rack._internet }));
            }
            var (upstreamFile, _) = VirtualInternetPublication.Write(rack._internet, rack.Folder.Combine("lab.upstream.json"));
            await File.WriteAllTextAsync(rack.Folder.Combine("account.json"), JsonSerializer.Serialize(new { id = AccountId, password = AccountPassword }));
            await File.WriteAllTextAsync(rack.DevicesFile, JsonSerializer.Serialize(new
            {
                adb = $"127.0.0.1:{rack.Adb.Port}",
                // What the virtual rack publishes, written into the rack file as a lab would write its own.
                upstream = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(upstreamFile)),
                account = new { file = "account.json" },
                devices = rack._phones.Select(p => new { serial = p.Serial }).ToArray(),
            }));
            return rack;
        }
        catch
        {
            await rack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The HARNESS_* settings of one suite run writing into <paramref name="output"/>.</summary>
    public Dictionary<string, string> Environment(string output, double settleSeconds = 3, string runKind = "run") => new()
    {
        ["HARNESS_DEVICES"] = DevicesFile,
        ["HARNESS_OUT"] = output,
        ["HARNESS_HISTORY"] = HistoryDatabase,
        ["HARNESS_SESSIONS"] = Folder.Combine("sessions"),
        ["HARNESS_SETTLE"] = settleSeconds.ToString(CultureInfo.InvariantCulture),
        ["HARNESS_SIGNING_DIR"] = Folder.Combine("signing"),
        ["HARNESS_CA_DIR"] = Folder.Combine("ca"),
        ["HARNESS_RUN_KIND"] = runKind,
    };

    /// <summary>Writes a virtual APK of a shipped version into <paramref name="directory"/>.</summary>
    public static string WriteApk(string directory, string name)
    {
        var version = BrowserCatalog.Find(name) ?? throw new ArgumentException($"unknown browser version {name}");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, version.ApkFileName);
        File.WriteAllBytes(path, version.BuildApk());
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var phone in _phones) await phone.DisposeAsync();
        await _internet.DisposeAsync();
        await Adb.DisposeAsync();
        Folder.Dispose();
    }
}
