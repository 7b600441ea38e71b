namespace Harness.Scenarios;

/// <summary>
/// One run of a differential case. Slots 1..N are the canary runs (input lengths growing by
/// <see cref="DifferentialAnalyzer.InputLengthStep"/>); slot 0 is the baseline: the same steps with fresh, neutral values of
/// slot 1's length, so only noise separates it from run 1. A repeated run takes its slot again with a higher
/// <paramref name="Order"/>; the latest run of each slot is the one the analysis counts.
/// </summary>
/// <param name="Label">"run-1" … "run-N", "baseline"; a repeat "run-2-repeat-1".</param>
/// <param name="InputLength">Characters of the URL canary the run opened.</param>
public sealed record DifferentialRun(string Label, int Slot, int InputLength, int Order)
{
    public bool Baseline => Slot == 0;

    public static string LabelFor(int slot, int repeat) =>
        (slot == 0 ? "baseline" : $"run-{slot}") + (repeat == 0 ? "" : $"-repeat-{repeat}");
}
