namespace Harness.Leaks;

/// <summary>What a scenario expects of its capture; the verdict is the combination of all expectations.</summary>
public abstract record ScanExpectation
{
    public abstract string Name { get; }

    public static IReadOnlyList<DestinationClass> LeakDestinations { get; } = [DestinationClass.Vendor, DestinationClass.ThirdParty];

    /// <summary>The default: no canary of any kind to the vendor or a third party.</summary>
    public static ScanExpectation NoLeakAnywhere { get; } = new NoLeakExpectation(Enum.GetValues<CanaryKind>(), LeakDestinations);
}
