namespace Harness.Scenarios;

/// <summary>One run of a differential case as it ran: its place among the runs and its own result (flows, canaries, steps).</summary>
public sealed record DifferentialRunResult(DifferentialRun Run, CaseResult Result);
