namespace Harness.Leaks;

/// <summary>No identifier may recur in vendor-bound flows of two separate sessions.</summary>
public sealed record NoLinkableIdExpectation : ScanExpectation
{
    public override string Name => "no-linkable-id";
}
