namespace Harness.Leaks;

public enum Verdict
{
    Pass,
    Fail,
    Inconclusive,
}
