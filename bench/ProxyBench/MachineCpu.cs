namespace ProxyBench;

/// <summary>
/// Busy CPU time of the whole machine (all cores, every process), from the first line of /proc/stat. A cell that keeps
/// the machine busy is CPU-bound: its throughput is the cores divided by what one request costs everyone together.
/// </summary>
internal static class MachineCpu
{
    /// <summary>Busy and total time since boot, in microseconds (the kernel counts in USER_HZ ticks).</summary>
    public static (double BusyMicros, double TotalMicros) Read()
    {
        var first = File.ReadLines("/proc/stat").First();
        // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        var ticks = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(double.Parse).ToArray();
        var idle = ticks[3] + ticks[4];
        var total = ticks.Sum();
        const double microsPerTick = 1_000_000.0 / 100; // USER_HZ is 100 on Linux
        return ((total - idle) * microsPerTick, total * microsPerTick);
    }
}
