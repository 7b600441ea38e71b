namespace Harness.Evidence.Verification;

/// <summary>One thing that does not hold, naming the file it concerns (relative to the bundle root) when there is one.</summary>
public sealed record VerificationDifference(DifferenceKind Kind, string? File, string Detail)
{
    public override string ToString() => File is null ? $"{Kind}: {Detail}" : $"{Kind}: {File}: {Detail}";
}
