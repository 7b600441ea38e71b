using System.Collections.Concurrent;
using Harness.Adb;
using Harness.Browsers;

namespace Harness.Scenarios;

/// <summary>
/// Runs the matrix on a rack: phones in parallel, one case at a time per phone, each phone on its own task so a
/// slow or lost phone never holds up the others. Leftovers of killed runs are recovered first; every phone is
/// restored in a finally, also on cancellation.
/// </summary>
public sealed class RackRunner(RackRunnerOptions options)
{
    private readonly ScenarioRunner _runner = new(options.Run);

    /// <summary>Raised from the phones' tasks (concurrently): handlers must be thread-safe.</summary>
    public event Action<RackProgress>? Progress;

    public async Task<RackRunResult> RunAsync(AdbClient adb, IReadOnlyList<string> serials, IReadOnlyList<ScenarioScript> scenarios,
        IReadOnlyList<BrowserProfile> profiles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        var recovered = await DeviceSession.RecoverAsync(adb, options.SessionsDirectory, ct, settingsProfilePath: options.SettingsProfilePath).ConfigureAwait(false);
        var results = new ConcurrentQueue<CaseResult>();
        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Task.WhenAll(serials.Select((serial, index) => Task.Run(() => RunPhoneAsync(adb, serial, index, scenarios, profiles, results, failures, ct), CancellationToken.None))).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return new RackRunResult(results.OrderBy(r => r.Case.Serial, StringComparer.Ordinal).ThenBy(r => r.StartedUtc).ToList(), failures, recovered);
    }

    private async Task RunPhoneAsync(AdbClient adb, string serial, int index, IReadOnlyList<ScenarioScript> scenarios, IReadOnlyList<BrowserProfile> profiles,
        ConcurrentQueue<CaseResult> results, ConcurrentDictionary<string, string> failures, CancellationToken ct)
    {
        DeviceSession? session = null;
        try
        {
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
            var cases = await ScenarioRunner.PlanAsync(adb, serial, scenarios, profiles, ct).ConfigureAwait(false);
            await _runner.RecordDeviceAsync(session, profiles, ct).ConfigureAwait(false);
            Raise(new RackProgress(RackProgressKind.DevicePrepared, serial, PlannedCases: cases.Count,
                Message: session.CoverageLimits.Count == 0 ? null : string.Join("; ", session.CoverageLimits)));
            foreach (var scenarioCase in cases)
            {
                ct.ThrowIfCancellationRequested();
                Raise(new RackProgress(RackProgressKind.CaseStarted, serial, scenarioCase));
                var result = await _runner.RunCaseAsync(session, scenarioCase, ct).ConfigureAwait(false);
                results.Enqueue(result);
                Raise(new RackProgress(RackProgressKind.CaseFinished, serial, scenarioCase, result));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is AdbException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            failures[serial] = e.Message;
            Raise(new RackProgress(RackProgressKind.DeviceFailed, serial, Message: e.Message));
        }
        finally
        {
            if (session is not null)
            {
                await session.RestoreAsync().ConfigureAwait(false);
                if (session.RestoreProblems.Count > 0)
                    failures.TryAdd(serial, "restore incomplete: " + string.Join("; ", session.RestoreProblems));
                Raise(new RackProgress(RackProgressKind.DeviceRestored, serial,
                    Message: session.RestoreProblems.Count == 0 ? null : string.Join("; ", session.RestoreProblems),
                    Note: session.RestoreNotes.Count == 0 ? null : string.Join("; ", session.RestoreNotes)));
            }
        }
    }

    private void Raise(RackProgress progress)
    {
        try
        {
            Progress?.Invoke(progress);
        }
        catch (Exception)
        {
            // A display that throws must not stop a phone's run.
        }
    }

    internal static string SafeName(string serial) => string.Concat(serial.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
}
