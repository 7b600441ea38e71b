using System.Collections.Concurrent;
using Harness.Adb;
using Harness.Browsers;

namespace Harness.Scenarios;

/// <summary>
/// Runs the matrix on a rack: phones in parallel, one case at a time per phone, each phone on its own task so a
/// slow or lost phone never holds up the others. Per phone: plan → prepare → record device facts → cases → restore
/// (always, also on cancellation). <see cref="RackRun"/> wraps it with the run's bundle, history and sinks; the NUnit
/// suite drives the per-phone half (<see cref="PreparePhoneAsync"/>, <see cref="RackPhone"/>) from its fixtures.
/// </summary>
public sealed class RackRunner(RackRunnerOptions options)
{
    private readonly ConcurrentQueue<CaseResult> _results = new();
    private readonly ConcurrentDictionary<string, string> _failures = new(StringComparer.Ordinal);

    public ScenarioRunner Runner { get; } = new(options.Run);

    /// <summary>Raised from the phones' tasks (concurrently): handlers must be thread-safe.</summary>
    public event Action<RackProgress>? Progress;

    /// <summary>Undoes what killed runs left on the phones (session markers of dead processes).</summary>
    public Task<IReadOnlyList<RecoveryOutcome>> RecoverAsync(AdbClient adb, CancellationToken ct) =>
        DeviceSession.RecoverAsync(adb, options.SessionsDirectory, ct, settingsProfilePath: options.SettingsProfilePath);

    /// <summary>Recovery, then every phone's cases; the result of every case so far.</summary>
    public async Task<RackRunResult> RunAsync(AdbClient adb, IReadOnlyList<string> serials, IReadOnlyList<ScenarioScript> scenarios,
        IReadOnlyList<BrowserProfile> profiles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        var recovered = await RecoverAsync(adb, ct).ConfigureAwait(false);
        await RunPhonesAsync(adb, serials, scenarios, profiles, ct).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return Result(recovered);
    }

    /// <summary>Every phone on its own task (no recovery: the caller did it).</summary>
    public Task RunPhonesAsync(AdbClient adb, IReadOnlyList<string> serials, IReadOnlyList<ScenarioScript> scenarios, IReadOnlyList<BrowserProfile> profiles,
        CancellationToken ct) =>
        Task.WhenAll(serials.Select((serial, index) => Task.Run(() => RunPhoneAsync(adb, serial, index, scenarios, profiles, ct), CancellationToken.None)));

    /// <summary>What every finished case and failed phone added up to, ordered by phone and start time.</summary>
    public RackRunResult Result(IReadOnlyList<RecoveryOutcome> recovered) =>
        new(_results.OrderBy(r => r.Case.Serial, StringComparer.Ordinal).ThenBy(r => r.StartedUtc).ToList(),
            new Dictionary<string, string>(_failures, StringComparer.Ordinal), recovered);

    /// <summary>
    /// Prepares one phone (CA, proxy, reverse, http_proxy) and records its facts in the evidence. A phone that cannot
    /// be prepared is reported (<see cref="RackProgressKind.DeviceFailed"/> with its planned cases), restored, and
    /// <see cref="RackPhoneFailedException"/> is thrown.
    /// </summary>
    /// <param name="index">The phone's place in the rack: its proxy port is the base port plus this.</param>
    public async Task<RackPhone> PreparePhoneAsync(AdbClient adb, string serial, int index, IReadOnlyList<ScenarioCase> planned,
        IReadOnlyList<BrowserProfile> profiles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        DeviceSession? session = null;
        try
        {
            if (options.RemotePhones?.FailureOf(serial) is { } unattached) throw new AdbException(unattached);
            session = await DeviceSession.PrepareAsync(adb, serial, new DeviceSessionOptions
            {
                CertificateAuthority = options.CertificateAuthority,
                FlowDirectory = Path.Combine(options.FlowsDirectory, SafeName(serial)),
                SessionsDirectory = options.SessionsDirectory,
                RootProbeTimeout = options.RootProbeTimeout,
                RestoreTimeout = options.RestoreTimeout,
                ProxyPort = options.ProxyBasePort == 0 ? 0 : options.ProxyBasePort + index,
                TimeProvider = options.Run.TimeProvider,
                SettingsProfilePath = options.SettingsProfilePath,
                Settings = options.Settings,
            }, ct).ConfigureAwait(false);
            await Runner.RecordDeviceAsync(session, profiles, ct, options.RemotePhones?.MeasurementOf(serial)).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            if (session is not null) await session.RestoreAsync().ConfigureAwait(false);
            var message = $"could not be prepared: {e.Message}";
            await FailAsync(serial, message, planned).ConfigureAwait(false);
            throw new RackPhoneFailedException(serial, message, e);
        }
        catch
        {
            if (session is not null) await session.RestoreAsync().ConfigureAwait(false);
            throw;
        }
        await ReportAsync(new RackProgress(RackProgressKind.DevicePrepared, serial, PlannedCases: planned.Count,
            Message: session.CoverageLimits.Count == 0 ? null : string.Join("; ", session.CoverageLimits), Cases: planned)).ConfigureAwait(false);
        return new RackPhone(this, session, planned);
    }

    private async Task RunPhoneAsync(AdbClient adb, string serial, int index, IReadOnlyList<ScenarioScript> scenarios, IReadOnlyList<BrowserProfile> profiles,
        CancellationToken ct)
    {
        RackPhone? phone = null;
        try
        {
            var plan = await PhonePlan.MakeAsync(adb, serial, scenarios, profiles, ct, options.CaseShard).ConfigureAwait(false);
            phone = await PreparePhoneAsync(adb, serial, index, plan.Cases, profiles, ct).ConfigureAwait(false);
            foreach (var scenarioCase in plan.Cases)
            {
                ct.ThrowIfCancellationRequested();
                await phone.RunCaseAsync(scenarioCase, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (RackPhoneFailedException)
        {
            // Reported by PreparePhoneAsync.
        }
        catch (Exception e) when (e is AdbException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            await FailAsync(serial, e.Message, []).ConfigureAwait(false);
        }
        finally
        {
            if (phone is not null) await phone.RestoreAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Before a case: reattaches a remote phone that dropped (what was done, or null).</summary>
    internal Task<string?> EnsureAttachedAsync(string serial, CancellationToken ct) =>
        options.RemotePhones?.EnsureConnectedAsync(serial, ct) ?? Task.FromResult<string?>(null);

    internal void Record(CaseResult result) => _results.Enqueue(result);

    internal void NoteFailure(string serial, string message) => _failures.TryAdd(serial, message);

    internal async Task FailAsync(string serial, string message, IReadOnlyList<ScenarioCase> cases)
    {
        _failures.TryAdd(serial, message);
        await ReportAsync(new RackProgress(RackProgressKind.DeviceFailed, serial, Message: message, Cases: cases)).ConfigureAwait(false);
    }

    internal async Task ReportAsync(RackProgress progress)
    {
        try
        {
            Progress?.Invoke(progress);
        }
        catch (Exception)
        {
            // A display that throws must not stop a phone's run.
        }
        if (options.Report is { } report)
        {
            try
            {
                await report(progress).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A report that could not be written (disk full) is not silently lost: the run fails as infrastructure.
                _failures.TryAdd(progress.Serial, $"reporting {progress.Kind} failed: {e.Message}");
            }
        }
    }

    internal static string SafeName(string serial) => string.Concat(serial.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
}
