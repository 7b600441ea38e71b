namespace Harness.Scenarios;

public enum CaseVerdict
{
    Pass,
    /// <summary>A leak (or a broken expectation) was proven.</summary>
    Fail,
    /// <summary>The case could not be judged: a step did not take, the device dropped, part of the traffic was not seen.</summary>
    Inconclusive,
    /// <summary>The installed version lacks what the mode needs (e.g. Enhanced Incognito Mode before the 2020 fix).</summary>
    NotApplicable,
}
