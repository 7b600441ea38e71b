namespace Harness.Evidence.Regression;

public enum RegressionChange
{
    NewLeak,
    FixedLeak,
    NewlyInconclusive,
    Unchanged,
    NoBaseline,
}
