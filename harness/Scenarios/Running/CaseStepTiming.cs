namespace Harness.Scenarios;

/// <summary>One step of a case as it ran: what, when, and whether it held ("passed", "failed", "broken", "skipped").</summary>
public sealed record CaseStepTiming(string Name, DateTimeOffset StartedUtc, DateTimeOffset StoppedUtc, string Status, string? Message = null)
{
    public TimeSpan Duration => StoppedUtc - StartedUtc;
}
