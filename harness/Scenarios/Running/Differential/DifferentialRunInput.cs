namespace Harness.Scenarios;

/// <summary>One run of a differential case and everything its own verdict depends on.</summary>
public sealed record DifferentialRunInput(DifferentialRun Run, CaseJudgeInput Input);
