using System.Globalization;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// Where the suite's inputs and outputs are. Each setting is a NUnit TestParameter (`-- TestRunParameters.Parameter(name="devices", value="…")`)
/// or an environment variable (run.ps1 sets those), else a default relative to the repository root.
/// </summary>
public sealed record SuiteSettings
{
    public required string RepositoryRoot { get; init; }
    public required string DevicesFile { get; init; }
    public required string ScenariosDirectory { get; init; }

    /// <summary>The Settings profile that puts the CA into an unrooted phone's user store.</summary>
    public string SettingsProfilePath => Path.Combine(ScenariosDirectory, "system", "android-settings.yaml");
    public required string OutputDirectory { get; init; }
    public required string HistoryDatabase { get; init; }
    public required string SessionsDirectory { get; init; }
    /// <summary>Overrides the adb server of devices.json (tests use a private one).</summary>
    public string? AdbEndpoint { get; init; }
    public TimeSpan? Settle { get; init; }
    /// <summary>First phone's proxy port (the next phone's one higher); 0 = free ports.</summary>
    public int ProxyBasePort { get; init; }
    /// <summary>Only scenarios matching this glob (HARNESS_SCENARIO), as `harness run --scenario`.</summary>
    public string? ScenarioGlob { get; init; }
    /// <summary>Only this browser profile id (HARNESS_BROWSER), as `harness run --browser`.</summary>
    public string? Browser { get; init; }
    /// <summary>This host's shard of the rack, "K/N" (HARNESS_SHARD), as `harness run --shard`.</summary>
    public string? Shard { get; init; }
    /// <summary>"run" or "nightly": how the run is recorded in the history database.</summary>
    public string RunKind { get; init; } = "run";
    public string? SigningKeyDirectory { get; init; }
    public string? CaDirectory { get; init; }
    /// <summary>The run's word over the rack's upstream and account (HARNESS_UPSTREAM, HARNESS_UPSTREAM_FILE, HARNESS_ACCOUNT_ENV), as `harness run`'s options.</summary>
    public RackSettingsOverrides SettingsOverrides { get; init; } = new();
    /// <summary>
    /// True when the rack was named (HARNESS_DEVICES or the "devices" parameter), as run.ps1 does. Only then does
    /// discovery ask adb which browsers are installed: `bash tests/run` loads this assembly too (and filters every
    /// test out), and must not reach the default adb server.
    /// </summary>
    public bool RackNamed { get; init; }

    public static SuiteSettings FromEnvironment(Func<string, string?> parameter)
    {
        string? Read(string name, string variable) =>
            NonEmpty(parameter(name)) ?? NonEmpty(Environment.GetEnvironmentVariable(variable));

        var root = FindRepositoryRoot();
        string Full(string path) => Path.GetFullPath(path, root);
        var settle = Read("settle", "HARNESS_SETTLE");
        return new SuiteSettings
        {
            RepositoryRoot = root,
            DevicesFile = Full(Read("devices", "HARNESS_DEVICES") ?? "devices.json"),
            ScenariosDirectory = Full(Read("scenarios", "HARNESS_SCENARIOS") ?? "scenarios"),
            OutputDirectory = Full(Read("out", "HARNESS_OUT") ?? Path.Combine("results", $"suite-{DateTime.UtcNow:yyyyMMdd-HHmmss}")),
            HistoryDatabase = Full(Read("history", "HARNESS_HISTORY") ?? Path.Combine("results", "history.db")),
            SessionsDirectory = Full(Read("sessions", "HARNESS_SESSIONS") ?? Path.Combine("results", ".sessions")),
            AdbEndpoint = Read("adb", "HARNESS_ADB"),
            ProxyBasePort = int.TryParse(Read("proxyPort", "HARNESS_PROXY_PORT"), out var proxyPort) && proxyPort is > 0 and < 65536 ? proxyPort : 0,
            Settle = settle is null ? null : TimeSpan.FromSeconds(double.Parse(settle, CultureInfo.InvariantCulture)),
            RunKind = Read("runKind", "HARNESS_RUN_KIND") ?? "run",
            ScenarioGlob = Read("scenario", "HARNESS_SCENARIO"),
            Browser = Read("browser", "HARNESS_BROWSER"),
            Shard = Read("shard", "HARNESS_SHARD"),
            SigningKeyDirectory = Read("signingKeys", "HARNESS_SIGNING_DIR"),
            CaDirectory = Read("caDirectory", "HARNESS_CA_DIR"),
            SettingsOverrides = new RackSettingsOverrides
            {
                Upstream = Read("upstream", "HARNESS_UPSTREAM"),
                UpstreamFile = Read("upstreamFile", "HARNESS_UPSTREAM_FILE"),
                AccountEnvironment = Read("accountEnv", "HARNESS_ACCOUNT_ENV"),
                Fields = ("HARNESS_UPSTREAM", "HARNESS_UPSTREAM_FILE", "HARNESS_ACCOUNT_ENV"),
            },
            RackNamed = Read("devices", "HARNESS_DEVICES") is not null,
        };
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>The folder holding Harness.sln above the test assembly (dotnet test runs from bin/), else the current folder.</summary>
    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
