namespace ProxyBench;

internal sealed record LoadResult(string Target, int BodyBytes, int Connections, long Requests, long Errors, double Seconds, double P50Ms, double P99Ms, double MachineBusyMicros = 0, double MachineTotalMicros = 0)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>Busy CPU of the whole machine per request during the cell (client, origin, proxy and anything else running).</summary>
    public double MachineMicrosPerRequest => MachineBusyMicros / Math.Max(1, Requests);

    /// <summary>How busy the machine was during the cell: 1 means every core all the time (CPU-bound).</summary>
    public double MachineBusyFraction => MachineTotalMicros <= 0 ? double.NaN : MachineBusyMicros / MachineTotalMicros;
}
