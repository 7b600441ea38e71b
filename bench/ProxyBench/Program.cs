using System.Globalization;
using ProxyBench;

// Usage: ProxyBench <harness.dll> [seconds-per-cell]
// Same HTTPS keep-alive load (1 KiB / 64 KiB bodies, 16 / 64 connections) against one local origin: direct (baseline),
// through `harness proxy --upstream forward`, and through mitmdump; reports req/s, p50/p99, added latency and ratios.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var harnessDll = args.Length > 0 ? args[0] : throw new ArgumentException("pass the path of harness.dll");
var seconds = args.Length > 1 ? int.Parse(args[1]) : 10;
// Optional extra `harness proxy` arguments, e.g. "--max-body 0" to see what recording bodies costs.
var extraHarnessArgs = args.Length > 2 ? args[2].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
// PROXYBENCH_PROFILE="BODY CONNS" measures only that cell through harness (no direct, no mitmdump) and, with
// PROXYBENCH_PERF=FILE, records it with `perf record -e cpu-clock -g` (run with DOTNET_PerfMapEnabled=1 for .NET frames).
// "BODY STREAMS h2" profiles the HTTP/2 cell instead: one h2 connection of STREAMS streams to nginx's h2 port.
var profileSpec = Environment.GetEnvironmentVariable("PROXYBENCH_PROFILE") is { Length: > 0 } spec
    ? spec.Split(' ', StringSplitOptions.RemoveEmptyEntries) : null;
var profileHttp2 = profileSpec is [_, _, "h2"];
var profileCell = profileSpec?.Take(2).Select(int.Parse).ToArray();
// PROXYBENCH_HARNESS_ENV="NAME=VALUE ..." sets runtime knobs on the harness process only (not on this process, which
// hosts the client and the origin), to try GC or thread-pool settings without changing the load.
var harnessEnvironment = (Environment.GetEnvironmentVariable("PROXYBENCH_HARNESS_ENV") ?? "")
    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
var work = Directory.CreateTempSubdirectory("proxybench-").FullName;
await using var origin = await BenchOrigin.StartAsync(work);
var originUrl = $"https://127.0.0.1:{origin.Port}";
var cells = new[] { (1024, 16), (1024, 64), (65536, 16), (65536, 64) };
var results = new List<LoadResult>();
var cpuPerRequest = new Dictionary<(string Target, int Body, int Conns), double>();

if (profileCell is [var profileBody, var profileConns])
{
    var port = ProxyProcess.FreePort();
    await using var profileNginx = profileHttp2 ? await Harness.TestSupport.NginxOrigin.StartAsync(["127.0.0.1", "localhost"], bodySizes: [profileBody]) : null;
    var profileUrl = profileNginx is null ? originUrl : $"https://127.0.0.1:{profileNginx.Http2Port}";
    await using var proxy = await ProxyProcess.StartAsync("dotnet",
        [harnessDll, "proxy", "--listen", $"127.0.0.1:{port}", "--store", Path.Combine(work, "store"), "--ca-dir", Path.Combine(work, "ca"),
         "--upstream", "forward", "--upstream-ca", profileNginx?.CaPemPath ?? origin.CaPemPath, .. extraHarnessArgs], port, harnessEnvironment);
    // Warm-up cell first (JIT, tiering), then the measured one.
    await LoadGenerator.RunAsync("harness", proxy.Url, profileUrl, profileBody, profileConns, TimeSpan.FromSeconds(3), profileHttp2);
    System.Diagnostics.Process? perf = null;
    if (Environment.GetEnvironmentVariable("PROXYBENCH_PERF") is { Length: > 0 } perfFile)
        perf = System.Diagnostics.Process.Start("perf", ["record", "-e", "cpu-clock", "-F", "999", "-g", "-o", perfFile, "-p", proxy.ProcessId.ToString()]);
    // PROXYBENCH_SYSCALLS=1 counts the proxy's socket and file syscalls during the measured window (perf tracepoints).
    var syscallCounts = Path.Combine(work, "syscalls.txt");
    if (Environment.GetEnvironmentVariable("PROXYBENCH_SYSCALLS") == "1")
        perf = System.Diagnostics.Process.Start("perf", ["stat", "-x", ",", "-o", syscallCounts, "-e",
            "syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_pwrite64,syscalls:sys_enter_write",
            "-p", proxy.ProcessId.ToString()]);
    var cpuBefore = proxy.CpuTime;
    var measured = await LoadGenerator.RunAsync("harness", proxy.Url, profileUrl, profileBody, profileConns, TimeSpan.FromSeconds(seconds), profileHttp2);
    var cpu = (proxy.CpuTime - cpuBefore).TotalMicroseconds / Math.Max(1, measured.Requests);
    if (perf is not null)
    {
        using (var stop = System.Diagnostics.Process.Start("kill", ["-INT", perf.Id.ToString()])) await stop.WaitForExitAsync();
        await perf.WaitForExitAsync();
    }
    Console.WriteLine($"profile {profileBody} B x {profileConns}{(profileHttp2 ? " h2 streams" : "")}: {measured.RequestsPerSecond:0} req/s, p50 {measured.P50Ms:0.00} ms, p99 {measured.P99Ms:0.00} ms, harness CPU {cpu:0} µs/req, errors {measured.Errors}");
    if (File.Exists(syscallCounts))
    {
        foreach (var line in File.ReadAllLines(syscallCounts).Where(l => l.Contains("syscalls:", StringComparison.Ordinal)))
        {
            var fields = line.Split(',');
            if (double.TryParse(fields[0], CultureInfo.InvariantCulture, out var count))
                Console.WriteLine($"  {fields[2].Replace("syscalls:sys_enter_", "")}: {count / Math.Max(1, measured.Requests):0.00} per request");
        }
    }
    await proxy.DisposeAsync();
    try { Directory.Delete(work, true); } catch (IOException) { }
    return;
}

var harnessPort = ProxyProcess.FreePort();
var mitmPort = ProxyProcess.FreePort();
var mitmConf = Path.Combine(work, "mitm");
Directory.CreateDirectory(mitmConf);
// Both proxies run for the whole bench and each cell measures direct, harness and mitmdump back to back: on a shared
// 2-core machine the load from other work drifts over minutes, so peers measured seconds apart compare more fairly.
await using (var harness = await ProxyProcess.StartAsync("dotnet",
    [harnessDll, "proxy", "--listen", $"127.0.0.1:{harnessPort}", "--store", Path.Combine(work, "store"), "--ca-dir", Path.Combine(work, "ca"),
     "--upstream", "forward", "--upstream-ca", origin.CaPemPath, .. extraHarnessArgs], harnessPort, harnessEnvironment))
await using (var mitm = await ProxyProcess.StartAsync("mitmdump",
    ["--listen-host", "127.0.0.1", "-p", mitmPort.ToString(), "--set", $"confdir={mitmConf}", "--ssl-insecure", "-q"], mitmPort))
{
    await WarmUpAsync(harness, originUrl);
    await WarmUpAsync(mitm, originUrl);
    foreach (var (body, conns) in cells)
    {
        results.Add(await LoadGenerator.RunAsync("direct", null, originUrl, body, conns, TimeSpan.FromSeconds(Math.Max(3, seconds / 2))));
        await MeasureAsync("harness", harness, body, conns);
        await MeasureAsync("mitmdump", mitm, body, conns);
    }
    Console.Error.WriteLine($"harness proxy peak RSS: {harness.PeakRssMb} MB");
    Console.Error.WriteLine($"mitmdump peak RSS: {mitm.PeakRssMb} MB");
}
// A proxy process is measured only after it has carried the load it is measured with for a while, both peers alike:
// the first seconds of a .NET process run unoptimised code (tiered JIT) and issue leaf certificates, which is start-up,
// not the steady state a proxy spends a run in (and the first cell would otherwise measure mostly that).
async Task WarmUpAsync(ProxyProcess proxy, string url, bool http2 = false)
{
    foreach (var body in new[] { 1024, 65536 })
        await LoadGenerator.RunAsync("warm-up", proxy.Url, url, body, 16, TimeSpan.FromSeconds(Math.Max(2, seconds / 2)), http2);
}
async Task MeasureAsync(string name, ProxyProcess proxy, int body, int conns)
{
    var (result, cpu) = await MeasureProxyAsync(name, proxy, originUrl, body, conns);
    cpuPerRequest[(name, body, conns)] = cpu;
    results.Add(result);
}
// One measured cell through a proxy, with that proxy process's CPU time per request. It includes the load generator's
// warm-up (a handful of requests and TLS handshakes): a slight overestimate for both peers alike.
async Task<(LoadResult Result, double CpuMicrosPerRequest)> MeasureProxyAsync(string name, ProxyProcess proxy, string url, int body, int conns, bool http2 = false)
{
    var before = proxy.CpuTime;
    var result = await LoadGenerator.RunAsync(name, proxy.Url, url, body, conns, TimeSpan.FromSeconds(seconds), http2);
    return (result, (proxy.CpuTime - before).TotalMicroseconds / Math.Max(1, result.Requests));
}

// Forward mode against a real origin: both proxies forward to the same local nginx over TLS and both verify its
// certificate against the origin's own CA (ours with --upstream-ca, mitmdump with ssl_verify_upstream_trusted_ca).
var forwardCells = new[] { (1024, 16), (65536, 16) };
var forwardResults = new List<LoadResult>();
// HTTP/2: one connection, 16 concurrent streams, to nginx's h2 port directly and through each proxy (h2 on both legs).
var http2Cells = new[] { (1024, 16), (65536, 16) };
var http2Results = new List<LoadResult>();
var http2Cpu = new Dictionary<(string Target, int Body), double>();
var forwardCpu = new Dictionary<(string Target, int Body), double>();
if ((Harness.TestSupport.RequiredTool.Find("nginx") ?? Harness.TestSupport.RequiredTool.Find("/usr/sbin/nginx")) is null)
{
    Console.Error.WriteLine("nginx not found (apt-get install nginx): no forward-to-nginx rows");
}
else
{
    await using var nginx = await Harness.TestSupport.NginxOrigin.StartAsync(["127.0.0.1", "localhost"], bodySizes: forwardCells.Select(c => c.Item1).ToList());
    var nginxUrl = $"https://127.0.0.1:{nginx.TrustedPort}";
    var forwardHarnessPort = ProxyProcess.FreePort();
    var forwardMitmPort = ProxyProcess.FreePort();
    var forwardMitmConf = Path.Combine(work, "mitm-forward");
    Directory.CreateDirectory(forwardMitmConf);
    await using var forwardHarness = await ProxyProcess.StartAsync("dotnet",
        [harnessDll, "proxy", "--listen", $"127.0.0.1:{forwardHarnessPort}", "--store", Path.Combine(work, "store-forward"), "--ca-dir", Path.Combine(work, "ca"),
         "--upstream", "forward", "--upstream-ca", nginx.CaPemPath, .. extraHarnessArgs], forwardHarnessPort, harnessEnvironment);
    await using var forwardMitm = await ProxyProcess.StartAsync("mitmdump",
        ["--listen-host", "127.0.0.1", "-p", forwardMitmPort.ToString(), "--set", $"confdir={forwardMitmConf}", "--set", $"ssl_verify_upstream_trusted_ca={nginx.CaPemPath}", "-q"], forwardMitmPort);
    var http2Url = $"https://127.0.0.1:{nginx.Http2Port}";
    foreach (var proxy in new[] { forwardHarness, forwardMitm })
    {
        await WarmUpAsync(proxy, nginxUrl);
        await WarmUpAsync(proxy, http2Url, http2: true);
    }
    foreach (var (body, conns) in forwardCells)
    {
        forwardResults.Add(await LoadGenerator.RunAsync("direct", null, nginxUrl, body, conns, TimeSpan.FromSeconds(Math.Max(3, seconds / 2))));
        foreach (var (name, proxy) in new[] { ("harness", forwardHarness), ("mitmdump", forwardMitm) })
        {
            var (result, cpu) = await MeasureProxyAsync(name, proxy, nginxUrl, body, conns);
            forwardCpu[(name, body)] = cpu;
            forwardResults.Add(result);
        }
    }
    foreach (var (body, streams) in http2Cells)
    {
        http2Results.Add(await LoadGenerator.RunAsync("direct", null, http2Url, body, streams, TimeSpan.FromSeconds(Math.Max(3, seconds / 2)), http2: true));
        foreach (var (name, proxy) in new[] { ("harness", forwardHarness), ("mitmdump", forwardMitm) })
        {
            var (result, cpu) = await MeasureProxyAsync(name, proxy, http2Url, body, streams, http2: true);
            http2Cpu[(name, body)] = cpu;
            http2Results.Add(result);
        }
    }
}

var storeBytes = new FileInfo(Path.Combine(work, "store", "flows.jsonl")) is { Exists: true } f ? f.Length : 0;
Console.Error.WriteLine($"harness flow store: {storeBytes / (1024 * 1024)} MiB written");

Console.WriteLine($"# ProxyBench {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, {seconds} s per cell, HTTPS/1.1 keep-alive, origin Kestrel on 127.0.0.1");
Console.WriteLine();
Console.WriteLine("| body | conns | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | errors |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
foreach (var (body, conns) in cells)
{
    var direct = results.Single(r => r.Target == "direct" && r.BodyBytes == body && r.Connections == conns);
    foreach (var r in results.Where(r => r.BodyBytes == body && r.Connections == conns))
    {
        var added50 = r.Target == "direct" ? 0 : r.P50Ms - direct.P50Ms;
        var added99 = r.Target == "direct" ? 0 : r.P99Ms - direct.P99Ms;
        Console.WriteLine($"| {body / 1024} KiB | {conns} | {r.Target} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {added50:0.00} | {added99:0.00} | {r.Errors} |");
    }
}
Console.WriteLine();
// Added latency can be negative under CPU contention (2 cores shared by client, origin and proxy), so ratios use total latency.
Console.WriteLine("| body | conns | req/s harness/mitmdump | p50 mitmdump/harness | p99 mitmdump/harness | harness/direct req/s | mitmdump/direct req/s |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (body, conns) in cells)
{
    var h = results.Single(r => r.Target == "harness" && r.BodyBytes == body && r.Connections == conns);
    var m = results.Single(r => r.Target == "mitmdump" && r.BodyBytes == body && r.Connections == conns);
    var d = results.Single(r => r.Target == "direct" && r.BodyBytes == body && r.Connections == conns);
    double Ratio(double a, double b) => b <= 0 ? double.NaN : a / b;
    Console.WriteLine($"| {body / 1024} KiB | {conns} | {Ratio(h.RequestsPerSecond, m.RequestsPerSecond):0.0}x | {Ratio(m.P50Ms, h.P50Ms):0.0}x | {Ratio(m.P99Ms, h.P99Ms):0.0}x | {Ratio(h.RequestsPerSecond, d.RequestsPerSecond):0.00} | {Ratio(m.RequestsPerSecond, d.RequestsPerSecond):0.00} |");
}
Console.WriteLine();
// CPU per request of the proxy process alone: robust to other load on the machine, unlike req/s and latency.
// The last two columns say what a direct exchange costs the whole machine (client and origin) and how busy the direct
// cell kept it: when it is CPU-bound, a proxy that adds P µs to the D µs of every exchange can reach at most
// D / (D + P) of the direct rate, whatever else it does.
Console.WriteLine("| body | conns | harness CPU µs/req | mitmdump CPU µs/req | mitmdump/harness CPU per request | direct: machine busy, µs/req | harness/direct ceiling D/(D+P) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (body, conns) in cells)
{
    var h = cpuPerRequest[("harness", body, conns)];
    var m = cpuPerRequest[("mitmdump", body, conns)];
    var d = results.Single(r => r.Target == "direct" && r.BodyBytes == body && r.Connections == conns);
    Console.WriteLine($"| {body / 1024} KiB | {conns} | {h:0} | {m:0} | {m / h:0.0}x | {d.MachineBusyFraction:0%}, {d.MachineMicrosPerRequest:0} | {Ceiling(d, h):0.00} |");
}
static double Ceiling(LoadResult direct, double proxyMicrosPerRequest) =>
    direct.MachineMicrosPerRequest / (direct.MachineMicrosPerRequest + proxyMicrosPerRequest);
if (forwardResults.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("Forward mode to a local nginx over TLS (upstream certificate verified by both proxies):");
    Console.WriteLine();
    Console.WriteLine("| body | conns | target | req/s | p50 ms | p99 ms | CPU µs/req | errors |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var r in forwardResults)
        Console.WriteLine($"| {r.BodyBytes / 1024} KiB | {r.Connections} | nginx {r.Target} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {(forwardCpu.TryGetValue((r.Target, r.BodyBytes), out var c) ? c.ToString("0") : "-")} | {r.Errors} |");
    Console.WriteLine();
    Console.WriteLine("| body | conns | req/s harness/mitmdump | p99 mitmdump/harness | mitmdump/harness CPU per request |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var (body, conns) in forwardCells)
    {
        var h = forwardResults.Single(r => r.Target == "harness" && r.BodyBytes == body);
        var m = forwardResults.Single(r => r.Target == "mitmdump" && r.BodyBytes == body);
        Console.WriteLine($"| {body / 1024} KiB | {conns} | {h.RequestsPerSecond / m.RequestsPerSecond:0.0}x | {m.P99Ms / h.P99Ms:0.0}x | {forwardCpu[("mitmdump", body)] / forwardCpu[("harness", body)]:0.0}x |");
    }
}
if (http2Results.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("HTTP/2 to the same nginx (h2 port): one connection, 16 concurrent streams; through a proxy h2 on both legs:");
    Console.WriteLine();
    Console.WriteLine("| body | streams | target | req/s | p50 ms | p99 ms | CPU µs/req | errors |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var r in http2Results)
        Console.WriteLine($"| {r.BodyBytes / 1024} KiB | {r.Connections} | h2 {r.Target} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {(http2Cpu.TryGetValue((r.Target, r.BodyBytes), out var c) ? c.ToString("0") : "-")} | {r.Errors} |");
    Console.WriteLine();
    Console.WriteLine("| body | streams | req/s harness/mitmdump | harness/direct req/s | mitmdump/direct req/s | mitmdump/harness CPU per request | direct: machine busy, µs/req | harness/direct ceiling D/(D+P) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var (body, streams) in http2Cells)
    {
        var h = http2Results.Single(r => r.Target == "harness" && r.BodyBytes == body);
        var m = http2Results.Single(r => r.Target == "mitmdump" && r.BodyBytes == body);
        var d = http2Results.Single(r => r.Target == "direct" && r.BodyBytes == body);
        Console.WriteLine($"| {body / 1024} KiB | {streams} | {h.RequestsPerSecond / m.RequestsPerSecond:0.0}x | {h.RequestsPerSecond / d.RequestsPerSecond:0.00} | {m.RequestsPerSecond / d.RequestsPerSecond:0.00} | {http2Cpu[("mitmdump", body)] / http2Cpu[("harness", body)]:0.0}x | {d.MachineBusyFraction:0%}, {d.MachineMicrosPerRequest:0} | {Ceiling(d, http2Cpu[("harness", body)]):0.00} |");
    }
}
try { Directory.Delete(work, true); } catch (IOException) { }
