using System.Globalization;
using Harness.Adb;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;
using Harness.Evidence.Signing;
using Harness.Proxy.Certificates;

namespace Harness.Scenarios;

/// <summary>
/// One run of the matrix on a rack, assembled in this one place for `harness run`, `harness nightly` and the NUnit
/// suite: recover leftovers of killed runs → open the evidence bundle (scenario scripts, profiles, our CA certificate)
/// → open the history run → per phone: plan, prepare, record device facts, cases, restore (always) → seal. Every phone
/// and case event goes to the sinks (<see cref="IRackRunSink"/>), one at a time, in order.
/// </summary>
public sealed class RackRun : IAsyncDisposable
{
    /// <summary>The history run id, for `harness nightly --report-run` after a suite run (run.ps1 -Nightly).</summary>
    public const string HistoryRunIdFileName = "history-run-id.txt";

    private readonly IReadOnlyList<IRackRunSink> _sinks;
    private readonly SemaphoreSlim _sinkGate = new(1, 1);
    private readonly CertificateAuthority _ca;
    private readonly EvidenceBundleWriter _bundle;
    private readonly HistoryStore _history;
    private readonly AdbClient _adb;
    private RackRunner _runner = null!;
    private RackRunInfo _info = null!;
    private RackRunOutcome? _outcome;
    private RemotePhones? _remote;
    private StfPhoneProvider? _farm;
    private int _disposed;

    /// <summary>What the phone provider said at start: phones released for killed runs, phones skipped (taken, none free).</summary>
    public IReadOnlyList<string> ProviderNotes { get; private init; } = [];

    /// <summary>What could not be released at the end (empty when every rented phone went back).</summary>
    public IReadOnlyList<string> ReleaseProblems { get; private set; } = [];

    private RackRun(RackRunOptions options, IReadOnlyList<IRackRunSink> sinks, AdbClient adb, CertificateAuthority ca, EvidenceBundleWriter bundle, HistoryStore history)
    {
        Options = options;
        _sinks = sinks;
        _adb = adb;
        _ca = ca;
        _bundle = bundle;
        _history = history;
    }

    public RackRunOptions Options { get; }
    public RackRunInfo Info => _info;
    public string BundleDirectory => _bundle.BundleDirectory;

    /// <summary>
    /// Starts the run. Throws <see cref="AdbException"/> (or a timeout / IO error) when the adb server cannot be
    /// reached: nothing is opened then.
    /// </summary>
    public static async Task<RackRun> StartAsync(RackRunOptions options, IReadOnlyList<IRackRunSink> sinks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = options.TimeProvider.GetUtcNow();
        var runId = $"{options.RunKind}-{started:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..6]}";
        var adb = new AdbClient(AdbClientOptions.ForEndpoint(options.AdbEndpoint));
        await adb.GetAdbVersionAsync(ct).ConfigureAwait(false);
        Directory.CreateDirectory(options.OutputDirectory);

        // Rented phones first (releasing what a killed run left reserved), then every phone over the network attached:
        // recovering what a killed run left on them needs them attached.
        var notes = new List<string>();
        StfPhoneProvider? farm = null;
        if (options.Stf is { } stf)
        {
            farm = new StfPhoneProvider(stf, options.SessionsDirectory, options.TimeProvider);
            try
            {
                notes.AddRange(await farm.ReleaseLeftoversAsync(ct).ConfigureAwait(false));
                var rented = await farm.ReserveAsync(ct).ConfigureAwait(false);
                notes.AddRange(rented.Skipped);
                options = options with
                {
                    Serials = [.. options.Serials, .. rented.Links.Select(l => l.Serial)],
                    RemoteLinks = [.. options.RemoteLinks, .. rented.Links],
                };
            }
            catch
            {
                await farm.ReleaseAllAsync().ConfigureAwait(false);
                farm.Dispose();
                throw;
            }
        }
        var remote = new RemotePhones(new RemotePhoneConnector(adb, options.TimeProvider), options.RemoteLinks);
        try
        {
            await remote.ConnectAllAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            if (farm is not null) { await farm.ReleaseAllAsync().ConfigureAwait(false); farm.Dispose(); }
            throw;
        }

        var recoveryRunner = new RackRunner(new RackRunnerOptions { SessionsDirectory = options.SessionsDirectory, SettingsProfilePath = options.SettingsProfilePath });
        IReadOnlyList<RecoveryOutcome> recovered;
        CertificateAuthority ca;
        try
        {
            recovered = await recoveryRunner.RecoverAsync(adb, ct).ConfigureAwait(false);
            ca = CertificateAuthority.LoadOrCreate(options.CaDirectory);
        }
        catch
        {
            if (farm is not null) { await farm.ReleaseAllAsync().ConfigureAwait(false); farm.Dispose(); }
            throw;
        }
        EvidenceBundleWriter bundle;
        HistoryStore history;
        long historyRunId;
        try
        {
            bundle = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions
            {
                BundleDirectory = options.BundleDirectory,
                RunId = runId,
                HarnessVersion = options.HarnessVersion,
            }, ct).ConfigureAwait(false);
            foreach (var scenario in options.Scenarios) await bundle.AddScenarioScriptAsync(scenario.SourceFile, ct).ConfigureAwait(false);
            foreach (var profile in options.Profiles) await bundle.AddBrowserProfileAsync(profile.SourceFile, ct).ConfigureAwait(false);
            await bundle.AddProxyCaCertificateAsync(Path.Combine(ca.Directory, CertificateAuthority.CertificateFileName), ct).ConfigureAwait(false);
            history = await HistoryStore.OpenAsync(options.HistoryDatabase, ct).ConfigureAwait(false);
            historyRunId = await history.StartRunAsync(started, options.RunKind, options.HarnessVersion, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, HistoryRunIdFileName), historyRunId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }
        catch
        {
            ca.Dispose();
            if (farm is not null) { await farm.ReleaseAllAsync().ConfigureAwait(false); farm.Dispose(); }
            throw;
        }

        var run = new RackRun(options, sinks, adb, ca, bundle, history) { _remote = remote, _farm = farm, ProviderNotes = notes };
        run._info = new RackRunInfo(runId, historyRunId, started, bundle.BundleDirectory, options, recovered);
        run._runner = new RackRunner(new RackRunnerOptions
        {
            CertificateAuthority = ca,
            FlowsDirectory = options.FlowsDirectory,
            SessionsDirectory = options.SessionsDirectory,
            ProxyBasePort = options.ProxyBasePort,
            SettingsProfilePath = options.SettingsProfilePath,
            Settings = options.Settings,
            RemotePhones = remote,
            CaseShard = options.CaseShard,
            Run = new ScenarioRunOptions
            {
                SettleTime = options.Settle,
                WorkDirectory = Path.Combine(options.OutputDirectory, "cases"),
                DriverOptions = new BrowserDriverOptions { ExtraDialogs = SystemDialogLoader.LoadDirectory(options.SystemProfilesDirectory) },
                Evidence = bundle,
                History = history,
                HistoryRunId = historyRunId,
                TimeProvider = options.TimeProvider,
            },
            Report = run.ReportAsync,
        });
        foreach (var sink in sinks) await sink.RunStartedAsync(run._info, ct).ConfigureAwait(false);
        return run;
    }

    /// <summary>The whole matrix: every phone on its own task (planned, prepared, its cases, restored).</summary>
    public async Task<RackRunResult> RunAllAsync(CancellationToken ct)
    {
        await _runner.RunPhonesAsync(_adb, Options.Serials, Options.Scenarios, Options.Profiles, ct).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return _runner.Result(_info.Recovered);
    }

    /// <summary>The cases of one phone as the run would plan them (asks adb which browsers are installed).</summary>
    public Task<PhonePlan> PlanPhoneAsync(string serial, CancellationToken ct) => PhonePlan.MakeAsync(_adb, serial, Options.Scenarios, Options.Profiles, ct, Options.CaseShard);

    /// <summary>
    /// Prepares one phone for <paramref name="planned"/> cases (the NUnit fixture of that phone calls it); throws
    /// <see cref="RackPhoneFailedException"/> after reporting a phone that cannot be prepared.
    /// </summary>
    public Task<RackPhone> PreparePhoneAsync(string serial, IReadOnlyList<ScenarioCase> planned, CancellationToken ct)
    {
        var index = Options.Serials.ToList().IndexOf(serial);
        return _runner.PreparePhoneAsync(_adb, serial, Math.Max(0, index), planned, Options.Profiles, ct);
    }

    /// <summary>
    /// Ends the history run, tells the sinks, and seals the bundle (once; later calls return the same outcome).
    /// A cancelled run is finished too: what it finished is evidence.
    /// </summary>
    public async Task<RackRunOutcome> FinishAsync(CancellationToken ct)
    {
        if (_outcome is not null) return _outcome;
        var result = _runner.Result(_info.Recovered);
        await _history.EndRunAsync(_info.HistoryRunId, Options.TimeProvider.GetUtcNow(), ct).ConfigureAwait(false);
        await _sinkGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var sink in _sinks) await sink.RunFinishedAsync(_info, result, ct).ConfigureAwait(false);
        }
        finally
        {
            _sinkGate.Release();
        }
        using var key = await new SigningKeyStore(Options.SigningKeyDirectory ?? SigningKeyStore.DefaultDirectory).LoadOrCreateAsync(ct).ConfigureAwait(false);
        var sealedBundle = await _bundle.SealAsync(key, ct).ConfigureAwait(false);
        return _outcome = new RackRunOutcome(result, sealedBundle);
    }

    public async ValueTask DisposeAsync()
    {
        // Ctrl+C disposes early to release rented phones before the message; the `await using` then comes back here.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (_outcome is null) await FinishAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _history.DisposeAsync().ConfigureAwait(false);
            _ca.Dispose();
            if (_remote is not null)
                foreach (var link in _remote.Links) await _remote.DisconnectAsync(link.Serial, CancellationToken.None).ConfigureAwait(false);
            if (_farm is not null)
            {
                ReleaseProblems = await _farm.ReleaseAllAsync().ConfigureAwait(false);
                _farm.Dispose();
            }
        }
    }

    private async Task ReportAsync(RackProgress progress)
    {
        await _sinkGate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var sink in _sinks) await sink.PhoneEventAsync(_info, progress, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sinkGate.Release();
        }
    }
}
