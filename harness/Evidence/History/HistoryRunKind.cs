namespace Harness.Evidence.History;

public static class HistoryRunKind
{
    public const string Run = "run";
    public const string Nightly = "nightly";
}
