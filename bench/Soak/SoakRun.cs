using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Harness.Bench.Soak;

/// <summary>
/// Starts `harness proxy` (sinkhole mode: answered locally, nothing leaves the machine), pushes a steady stream of POSTs
/// through it, samples the proxy process's RSS every second, stops it with SIGINT as a user would, and counts the flows
/// it stored against the requests it answered.
/// </summary>
public sealed partial class SoakRun(SoakOptions options, TextWriter log)
{
    public async Task<SoakResult> RunAsync(CancellationToken ct)
    {
        var work = Path.Combine(Path.GetTempPath(), "harness-soak-" + Guid.NewGuid().ToString("N")[..8]);
        var store = Path.Combine(work, "store");
        Directory.CreateDirectory(work);
        try
        {
            using var proxy = StartProxy(options.HarnessDll ?? LocateHarness(), store, Path.Combine(work, "ca"));
            var port = await ReadPortAsync(proxy, ct);
            log.WriteLine($"proxy pid {proxy.Id} on 127.0.0.1:{port}; {options.RequestsPerSecond} req/s of {options.BodyBytes} B for {options.Duration.TotalSeconds:0}s");

            var samples = new List<(TimeSpan At, long RssBytes)>();
            var clock = Stopwatch.StartNew();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stop.CancelAfter(options.Duration);
            var sampler = SampleRssAsync(proxy.Id, clock, samples, stop.Token);
            var (sent, failed) = await PushAsync(port, stop.Token);
            await sampler;

            using (var interrupt = Process.Start("kill", ["-INT", proxy.Id.ToString(CultureInfo.InvariantCulture)])) await interrupt.WaitForExitAsync(ct);
            using (var exitWait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                exitWait.CancelAfter(TimeSpan.FromMinutes(2));
                await proxy.WaitForExitAsync(exitWait.Token);
            }
            var stored = CountFlows(Path.Combine(store, "flows.jsonl"));

            var window = options.Window;
            var last = clock.Elapsed;
            double Median(IEnumerable<long> values)
            {
                var sorted = values.Order().ToList();
                return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2] / (1024.0 * 1024);
            }
            return new SoakResult(options.Duration, sent, failed, stored,
                Median(samples.Where(s => s.At <= window).Select(s => s.RssBytes)),
                Median(samples.Where(s => s.At >= options.Duration - window).Select(s => s.RssBytes)),
                samples.Count == 0 ? 0 : samples.Max(s => s.RssBytes) / (1024.0 * 1024),
                options.MaxGrowthMiB);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    private async Task<(long Sent, long Failed)> PushAsync(int port, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{port}"), UseProxy = true, MaxConnectionsPerServer = 16 };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var body = new byte[options.BodyBytes];
        Random.Shared.NextBytes(body);
        long sent = 0, failed = 0, sequence = 0;
        var inFlight = new List<Task>();
        // 10 ticks a second, each starting its share of the second's requests.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var perTick = Math.Max(1, options.RequestsPerSecond / 10);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                for (var i = 0; i < perTick; i++)
                {
                    var n = Interlocked.Increment(ref sequence);
                    inFlight.Add(SendOneAsync(client, n, body).ContinueWith(t =>
                    {
                        if (t.Result) Interlocked.Increment(ref sent); else Interlocked.Increment(ref failed);
                    }, TaskScheduler.Default));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The duration is over.
        }
        await Task.WhenAll(inFlight);
        return (sent, failed);
    }

    private async Task<bool> SendOneAsync(HttpClient client, long n, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/octet-stream");
            using var response = await client.PostAsync($"http://soak-origin.example/sa?project=soak&n={n}", content);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            log.WriteLine($"request {n} failed: {e.Message}");
            return false;
        }
    }

    private static async Task SampleRssAsync(int pid, Stopwatch clock, List<(TimeSpan, long)> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                if (ReadRss(pid) is { } rss) samples.Add((clock.Elapsed, rss));
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>VmRSS from /proc/PID/status, in bytes.</summary>
    private static long? ReadRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return null;
    }

    private static long CountFlows(string path) =>
        File.Exists(path) ? File.ReadLines(path).Count(line => !string.IsNullOrWhiteSpace(line)) : 0;

    private static Process StartProxy(string harnessDll, string store, string caDir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { harnessDll, "proxy", "--listen", "127.0.0.1:0", "--store", store, "--ca-dir", caDir, "--upstream", "sinkhole" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> ReadPortAsync(Process proxy, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var line = await proxy.StandardOutput.ReadLineAsync(timeout.Token) ?? "";
        // Keep draining stdout so the proxy never blocks on a full pipe.
        _ = proxy.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var match = ListeningLine().Match(line);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"harness proxy did not start: \"{line}\"");
    }

    /// <summary>The built CLI, newest of Release and Debug, found by walking up to Harness.sln.</summary>
    public static string LocateHarness()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) continue;
            var built = new[] { "Release", "Debug" }
                .Select(c => new FileInfo(Path.Combine(dir.FullName, "harness", "Cli", "bin", c, "net10.0", "harness.dll")))
                .Where(f => f.Exists).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
            return built?.FullName ?? throw new InvalidOperationException("build harness/Cli first (harness.dll not found)");
        }
        throw new InvalidOperationException($"no Harness.sln above {AppContext.BaseDirectory}: pass --harness PATH");
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
