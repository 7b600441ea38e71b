using System.Diagnostics;
using System.Net;
using System.Net.Http;

namespace ProxyBench;

/// <summary>
/// N keep-alive HTTPS/1.1 connections, each looping GETs for a fixed duration; latency per request. With
/// <c>http2</c>: one HTTP/2 connection carrying N concurrent streams, each looping the same way.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(string target, string? proxyUrl, string url, int bodyBytes, int connections, TimeSpan duration, bool http2 = false)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = http2 ? 1 : connections,
            EnableMultipleHttp2Connections = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = proxyUrl is not null,
            Proxy = proxyUrl is null ? null : new WebProxy(proxyUrl),
            // The bench measures throughput, not trust: each proxy's CA differs and is accepted here.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = TimeSpan.FromSeconds(30) };
        var requestUrl = $"{url}/bytes?n={bodyBytes}";

        // Warm up: open every connection (TLS handshakes, JIT) before measuring.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => OneAsync(client, requestUrl)));

        var latencies = new List<double>[connections];
        long errors = 0;
        var (busyBefore, totalBefore) = MachineCpu.Read();
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + duration;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
        {
            var mine = latencies[i] = new List<double>(4096);
            while (stopwatch.Elapsed < deadline)
            {
                var start = stopwatch.Elapsed;
                if (await OneAsync(client, requestUrl)) mine.Add((stopwatch.Elapsed - start).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }
        }));
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var (busyAfter, totalAfter) = MachineCpu.Read();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new LoadResult(target, bodyBytes, connections, all.Length, errors, seconds, Percentile(0.50), Percentile(0.99), busyAfter - busyBefore, totalAfter - totalBefore);
    }

    private static async Task<bool> OneAsync(HttpClient client, string url)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            _ = await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }
}
