using System.Globalization;

namespace Harness.Bench.Soak;

/// <summary>What a soak run measured and whether it held.</summary>
public sealed record SoakResult(
    TimeSpan Duration,
    long Sent,
    long Failed,
    long Stored,
    double FirstWindowRssMiB,
    double LastWindowRssMiB,
    double PeakRssMiB,
    double MaxGrowthMiB)
{
    public double GrowthMiB => LastWindowRssMiB - FirstWindowRssMiB;
    public bool NoFlowLost => Failed == 0 && Stored == Sent && Sent > 0;
    public bool MemoryFlat => GrowthMiB <= MaxGrowthMiB;
    public bool Passed => NoFlowLost && MemoryFlat;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"soak: {(Passed ? "PASS" : "FAIL")} {Duration.TotalSeconds:0}s: sent {Sent}, failed {Failed}, stored {Stored} ({(NoFlowLost ? "none lost" : "FLOWS LOST")}); " +
        $"RSS median first window {FirstWindowRssMiB:0.0} MiB, last window {LastWindowRssMiB:0.0} MiB, growth {GrowthMiB:+0.0;-0.0} MiB " +
        $"(limit {MaxGrowthMiB:0} MiB, {(MemoryFlat ? "flat" : "GROWING")}), peak {PeakRssMiB:0.0} MiB");
}
