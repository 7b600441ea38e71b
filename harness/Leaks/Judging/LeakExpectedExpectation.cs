namespace Harness.Leaks;

/// <summary>A control: passes only when a canary of one of <paramref name="Kinds"/> IS found at one of <paramref name="Destinations"/>.</summary>
public sealed record LeakExpectedExpectation(IReadOnlyList<CanaryKind> Kinds, IReadOnlyList<DestinationClass> Destinations) : ScanExpectation
{
    public override string Name => "leak-expected";
}
