namespace Harness.Scenarios;

/// <summary>What one run sent of one kind of opaque request: how many requests, how many opaque bytes in all.</summary>
public sealed record DifferentialRowSize(DifferentialRun Run, int Requests, long Bytes);
