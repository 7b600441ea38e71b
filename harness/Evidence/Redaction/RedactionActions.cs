namespace Harness.Evidence.Redaction;

public static class RedactionActions
{
    public const string Masked = "masked";
    /// <summary>The value contains a canary or sits where a finding was located: masking it would destroy the evidence.</summary>
    public const string KeptEvidence = "kept: contains evidence of a finding";
}
