namespace Harness.Evidence.Redaction;

/// <summary>One line of redactions.json: a field that was masked, or deliberately kept because it carries evidence.</summary>
public sealed record RedactionEntry(string File, int EntryIndex, string Field, string Action);
