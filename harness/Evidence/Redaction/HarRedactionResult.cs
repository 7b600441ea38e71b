namespace Harness.Evidence.Redaction;

public sealed record HarRedactionResult(byte[] Har, IReadOnlyList<RedactionEntry> Entries)
{
    public bool Changed => Entries.Any(e => e.Action == RedactionActions.Masked);
}
