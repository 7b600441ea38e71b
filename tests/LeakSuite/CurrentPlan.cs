namespace Harness.LeakSuite;

/// <summary>
/// The one plan of this test process. NUnit builds fixtures and cases from static sources before any setup runs,
/// so discovery and the run must share it through a static; it is computed once and never changes afterwards.
/// </summary>
public static class CurrentPlan
{
    private static readonly Lazy<RackPlan> Plan = new(() =>
        RackPlan.Build(SuiteSettings.FromEnvironment(name => TestContext.Parameters.Get(name))), LazyThreadSafetyMode.ExecutionAndPublication);

    public static RackPlan Value => Plan.Value;
}
