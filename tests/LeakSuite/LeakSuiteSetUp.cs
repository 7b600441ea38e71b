namespace Harness.LeakSuite;

/// <summary>Run-level setup of the namespace's phone fixtures: opens the bundle, history and Allure results; seals them at the end.</summary>
[SetUpFixture]
public sealed class LeakSuiteSetUp
{
    private static SuiteRun? _run;

    /// <summary>The run the phone fixtures share; null when the configuration is broken (their tests say why).</summary>
    public static SuiteRun? Run => Volatile.Read(ref _run);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var plan = CurrentPlan.Value;
        if (plan.ConfigurationError is not null) return;
        Volatile.Write(ref _run, await SuiteRun.StartAsync(plan, TestContext.CurrentContext.CancellationToken));
        TestContext.Progress.WriteLine($"leak suite: {plan.Serials.Count} phone(s), {plan.Scenarios.Count} scenario(s), {plan.CasesBySerial.Values.Sum(c => c.Count)} case(s); output {plan.Settings.OutputDirectory}");
        foreach (var (serial, note) in plan.PlanningNotes) TestContext.Progress.WriteLine($"{serial}: {note}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        var run = Interlocked.Exchange(ref _run, null);
        if (run is not null) await run.DisposeAsync();
    }
}
