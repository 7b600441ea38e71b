namespace Harness.Leaks;

public sealed record CoverageReport(int FlowsScanned, IReadOnlyList<CoverageItem> Items)
{
    public IReadOnlyList<CoverageItem> Gaps => Items.Where(i => i.IsGap).ToList();
    public bool Complete => !Items.Any(i => i.IsGap);
}
