using System.Globalization;
using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Browsers;

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
    public static async Task<SuiteRack> StartAsync(params (string Model, string[] Apps)[] phones)
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
                rack._phones.Add(await VirtualPhoneFixture.StartAsync(rack.Adb, profile, new VirtualPhoneOptions { Preinstalled = manifests, TimeFactor = TimeFactor }));
            }
            await File.WriteAllTextAsync(rack.DevicesFile, JsonSerializer.Serialize(new
            {
                adb = $"127.0.0.1:{rack.Adb.Port}",
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
        await Adb.DisposeAsync();
        Folder.Dispose();
    }
}
