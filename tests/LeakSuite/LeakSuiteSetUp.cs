using Harness.Evidence.History;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// Run-level setup of the namespace's phone fixtures: starts the one <see cref="RackRun"/> they share (recovery,
/// bundle, history, Allure results, suite-results.jsonl) and finishes and seals it at the end.
/// </summary>
[SetUpFixture]
public sealed class LeakSuiteSetUp
{
    /// <summary>The Allure executor name of a suite run.</summary>
    public const string Executor = "run.ps1 (NUnit leak suite)";

    private static RackRun? _run;

    /// <summary>The run the phone fixtures share; null when the configuration is broken (their tests say why).</summary>
    public static RackRun? Run => Volatile.Read(ref _run);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var plan = CurrentPlan.Value;
        if (plan.ConfigurationError is not null) return;
        var settings = plan.Settings;
        var options = plan.Selection!.RunOptions(settings.OutputDirectory) with
        {
            RunKind = settings.RunKind == HistoryRunKind.Nightly ? HistoryRunKind.Nightly : HistoryRunKind.Run,
            HistoryDatabase = settings.HistoryDatabase,
            SessionsDirectory = settings.SessionsDirectory,
            CaDirectory = settings.CaDirectory,
            SigningKeyDirectory = settings.SigningKeyDirectory,
            Settle = settings.Settle,
            ProxyBasePort = settings.ProxyBasePort,
        };
        Volatile.Write(ref _run, await RackRun.StartAsync(options, [new SuiteResultsSink(), new AllureResultsSink(Executor), new NUnitProgressSink()],
            TestContext.CurrentContext.CancellationToken));
        TestContext.Progress.WriteLine($"leak suite: {plan.Serials.Count} phone(s), {plan.Scenarios.Count} scenario(s), {plan.CasesBySerial.Values.Sum(c => c.Count)} case(s); output {settings.OutputDirectory}");
        foreach (var (serial, note) in plan.PlanningNotes) TestContext.Progress.WriteLine($"{serial}: {note}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        var run = Interlocked.Exchange(ref _run, null);
        if (run is null) return;
        await using (run)
        {
            var outcome = await run.FinishAsync(CancellationToken.None);
            TestContext.Progress.WriteLine($"evidence: {outcome.Bundle.BundleDirectory} (signed, key {outcome.Bundle.SigningKeyFingerprint})");
        }
    }
}
