namespace Harness.Scenarios;

/// <summary>
/// One step of a script. <see cref="Argument"/> is the canary template of open-url/search (e.g. "{canary.url}"),
/// <see cref="Duration"/> an explicit wait-telemetry time, <see cref="Label"/> the session label of new-session.
/// </summary>
public sealed record ScenarioStep(ScenarioStepKind Kind, SourceLocation Location, string? Argument = null, TimeSpan? Duration = null, string? Label = null)
{
    public override string ToString() => Argument is null ? Kind.ToName() : $"{Kind.ToName()} {Argument}";
}
