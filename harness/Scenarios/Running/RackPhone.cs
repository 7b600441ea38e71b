using Harness.Adb;

namespace Harness.Scenarios;

/// <summary>
/// One prepared phone of a rack run: its session and planned cases. Each case and the restore are reported to the
/// run (progress, sinks) and counted in its result. <see cref="RestoreAsync"/> must run whatever happened.
/// </summary>
public sealed class RackPhone
{
    private readonly RackRunner _rack;
    private int _restored;

    internal RackPhone(RackRunner rack, DeviceSession session, IReadOnlyList<ScenarioCase> cases)
    {
        _rack = rack;
        Session = session;
        Cases = cases;
    }

    public DeviceSession Session { get; }
    public string Serial => Session.Serial;
    public IReadOnlyList<ScenarioCase> Cases { get; }

    public async Task<CaseResult> RunCaseAsync(ScenarioCase scenarioCase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scenarioCase);
        await _rack.ReportAsync(new RackProgress(RackProgressKind.CaseStarted, Serial, scenarioCase)).ConfigureAwait(false);
        try
        {
            await _rack.EnsureAttachedAsync(Serial, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AdbException or IOException or TimeoutException)
        {
            // Still gone: the case runs into the missing phone and ends inconclusive with the adb error, like a USB phone pulled out.
        }
        var result = await _rack.Runner.RunCaseAsync(Session, scenarioCase, ct).ConfigureAwait(false);
        _rack.Record(result);
        await _rack.ReportAsync(new RackProgress(RackProgressKind.CaseFinished, Serial, scenarioCase, result)).ConfigureAwait(false);
        return result;
    }

    /// <summary>Restores the phone (once); a restore that left something behind makes the phone a failure of the run.</summary>
    public async Task RestoreAsync()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1) return;
        await Session.RestoreAsync().ConfigureAwait(false);
        var problems = Session.RestoreProblems.Count == 0 ? null : string.Join("; ", Session.RestoreProblems);
        if (problems is not null) _rack.NoteFailure(Serial, "restore incomplete: " + problems);
        await _rack.ReportAsync(new RackProgress(RackProgressKind.DeviceRestored, Serial, Message: problems,
            Note: Session.RestoreNotes.Count == 0 ? null : string.Join("; ", Session.RestoreNotes))).ConfigureAwait(false);
    }
}
