namespace Harness.Flows;

public sealed record HeaderField(string Name, string Value);
