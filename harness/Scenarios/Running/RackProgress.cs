namespace Harness.Scenarios;

/// <summary>A progress event of <see cref="RackRunner"/>, raised from the phone's own task.</summary>
public sealed record RackProgress(RackProgressKind Kind, string Serial, ScenarioCase? Case = null, CaseResult? Result = null, int PlannedCases = 0, string? Message = null, string? Note = null);
