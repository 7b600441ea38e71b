namespace Harness.Evidence.Records;

/// <summary>The verdict strings a <see cref="CaseRecord"/> may carry; strings (not an enum) so the JSON stays readable by other tools.</summary>
public static class CaseVerdicts
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Inconclusive = "inconclusive";

    public static bool IsKnown(string? verdict) => verdict is Pass or Fail or Inconclusive;
}
