namespace Harness.Scenarios;

/// <summary>
/// A report of a rack run (Allure results, suite-results.jsonl, a console). <see cref="RackRun"/> calls its sinks one
/// at a time, in the order given, so a sink needs no locking of its own. The evidence bundle and the history database
/// are not sinks: they are the run's record, written by the runner as each case finishes and sealed by the run.
/// A new report format is a new sink, nothing else.
/// </summary>
public interface IRackRunSink
{
    /// <summary>The bundle and history run are open, leftovers of killed runs are recovered; no phone is prepared yet.</summary>
    Task RunStartedAsync(RackRunInfo run, CancellationToken ct) => Task.CompletedTask;

    /// <summary>A phone prepared, failed or restored; a case started or finished (<see cref="RackProgress.Result"/>).</summary>
    Task PhoneEventAsync(RackRunInfo run, RackProgress progress, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Every phone is done (or the run was cancelled); the bundle is not sealed yet.</summary>
    Task RunFinishedAsync(RackRunInfo run, RackRunResult result, CancellationToken ct) => Task.CompletedTask;
}
