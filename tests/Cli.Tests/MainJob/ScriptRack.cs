using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.TestSupport;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// A devices.json of virtual phones for run.ps1 itself to start (`harness virtual-rack --devices`), attached to a
/// private adb server, with private history, session, CA and signing-key folders: run.ps1 as a user runs it, without
/// touching the user's adb server, results/ or ~/.harness.
/// </summary>
internal sealed class ScriptRack : IAsyncDisposable
{
    private ScriptRack(PrivateAdbServer adb, TempFolder folder, IReadOnlyList<string> serials)
    {
        Adb = adb;
        Folder = folder;
        Serials = serials;
    }

    public PrivateAdbServer Adb { get; }
    public TempFolder Folder { get; }
    public IReadOnlyList<string> Serials { get; }
    public string DevicesFile => Folder.Combine("devices.json");
    public string HistoryDatabase => Folder.Combine("history", "history.db");

    /// <summary>A phone of the rack: a virtual one ("Redmi Note 8", rooted, apps such as "mint@3.4.0"), or, with a null model, a serial nothing answers for.</summary>
    public sealed record Phone(string? Model, bool Rooted = true, params string[] Apps);

    public static async Task<ScriptRack> CreateAsync(params Phone[] phones)
    {
        RequiredTool.Locate("adb", "apt-get install adb");
        // run.ps1 runs the built binaries (-NoBuild): the CLI beside these tests and the suite's dll.
        await LeakSuiteProcess.LocateOrBuildAsync();
        var adb = await PrivateAdbServer.StartAsync();
        var folder = new TempFolder("harness-runps1");
        var devices = new List<object>();
        var serials = new List<string>();
        foreach (var phone in phones)
        {
            var port = FreePort();
            var serial = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            serials.Add(serial);
            devices.Add(phone.Model is null
                ? new { serial }
                : new { serial, @virtual = new { model = phone.Model, port, rooted = phone.Rooted, locale = "en-US", apps = phone.Apps, timeFactor = SuiteRack.TimeFactor } });
        }
        await File.WriteAllTextAsync(folder.Combine("account.json"), JsonSerializer.Serialize(new { id = SuiteRack.AccountId, password = SuiteRack.AccountPassword }));
        await File.WriteAllTextAsync(folder.Combine("devices.json"), JsonSerializer.Serialize(new { adb = $"127.0.0.1:{adb.Port}", account = new { file = "account.json" }, devices }));
        Directory.CreateDirectory(folder.Combine("history"));
        return new ScriptRack(adb, folder, serials);
    }

    public string Out(string name) => Folder.Combine(name);

    /// <summary>`dotnet pwsh run.ps1 -Devices … -Out OUT -History … -Settle 2 -NoBuild ARGS`.</summary>
    public Task<CliResult> RunAsync(string outName, params string[] args) =>
        RunScriptProcess.RunAsync(
            ["-NoProfile", "-File", "run.ps1", "-Devices", DevicesFile, "-Out", Out(outName), "-History", HistoryDatabase, "-Settle", "2", "-NoBuild", .. args],
            new Dictionary<string, string>
            {
                ["HARNESS_SESSIONS"] = Folder.Combine("sessions"),
                ["HARNESS_CA_DIR"] = Folder.Combine("ca"),
                ["HARNESS_SIGNING_DIR"] = Folder.Combine("signing"),
            },
            TimeSpan.FromMinutes(6));

    private static int _nextPort = -1;

    /// <summary>
    /// A free port below Linux's ephemeral range (32768+): a port bind(0) handed out could be taken by any outgoing
    /// connection before the virtual rack binds it, seconds later. Each test process draws from its own block.
    /// </summary>
    private static int FreePort()
    {
        var blockStart = 10000 + Environment.ProcessId % 1000 * 20;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = blockStart + (int)((uint)Interlocked.Increment(ref _nextPort) % 20);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: the next one.
            }
        }
        throw new InvalidOperationException($"no free port in {blockStart}-{blockStart + 19}");
    }

    public async ValueTask DisposeAsync()
    {
        await Adb.DisposeAsync();
        Folder.Dispose();
    }
}
