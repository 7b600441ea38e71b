namespace Harness.Leaks;

/// <summary>None of <paramref name="Kinds"/> may reach any of <paramref name="Destinations"/>.</summary>
public sealed record NoLeakExpectation(IReadOnlyList<CanaryKind> Kinds, IReadOnlyList<DestinationClass> Destinations) : ScanExpectation
{
    public override string Name => "no-leak";
}
