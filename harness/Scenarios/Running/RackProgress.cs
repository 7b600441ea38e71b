namespace Harness.Scenarios;

/// <summary>
/// A progress event of a rack run, raised from the phone's own task. <see cref="Cases"/> are the phone's planned
/// cases on <see cref="RackProgressKind.DevicePrepared"/> and <see cref="RackProgressKind.DeviceFailed"/> (the cases a
/// lost phone could not run).
/// </summary>
public sealed record RackProgress(RackProgressKind Kind, string Serial, ScenarioCase? Case = null, CaseResult? Result = null, int PlannedCases = 0,
    string? Message = null, string? Note = null, IReadOnlyList<ScenarioCase>? Cases = null);
