namespace ProxyBench;

internal sealed record LoadResult(string Target, int BodyBytes, int Connections, long Requests, long Errors, double Seconds, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Seconds;
}
