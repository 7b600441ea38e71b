namespace Harness.Browsers;

/// <summary>One action as `profile check` ran it: <see cref="Works"/> null when it was not run (<see cref="NotCheckedReason"/> says why).</summary>
public sealed record ActionCheck(BrowserAction Action, bool? Works, string? NotCheckedReason, IReadOnlyList<StepCheck> Steps, string? Failure)
{
    public bool Checked => Works is not null;
}
