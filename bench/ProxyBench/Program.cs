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
var work = Directory.CreateTempSubdirectory("proxybench-").FullName;
await using var origin = await BenchOrigin.StartAsync(work);
var originUrl = $"https://127.0.0.1:{origin.Port}";
var cells = new[] { (1024, 16), (1024, 64), (65536, 16), (65536, 64) };
var results = new List<LoadResult>();

foreach (var (body, conns) in cells)
    results.Add(await LoadGenerator.RunAsync("direct", null, originUrl, body, conns, TimeSpan.FromSeconds(Math.Max(3, seconds / 2))));

var harnessPort = ProxyProcess.FreePort();
await using (var harness = await ProxyProcess.StartAsync("dotnet",
    [harnessDll, "proxy", "--listen", $"127.0.0.1:{harnessPort}", "--store", Path.Combine(work, "store"), "--ca-dir", Path.Combine(work, "ca"),
     "--upstream", "forward", "--upstream-ca", origin.CaPemPath, .. extraHarnessArgs], harnessPort))
{
    foreach (var (body, conns) in cells)
        results.Add(await LoadGenerator.RunAsync("harness", harness.Url, originUrl, body, conns, TimeSpan.FromSeconds(seconds)));
    Console.Error.WriteLine($"harness proxy peak RSS: {harness.PeakRssMb} MB");
}

var mitmPort = ProxyProcess.FreePort();
var mitmConf = Path.Combine(work, "mitm");
Directory.CreateDirectory(mitmConf);
await using (var mitm = await ProxyProcess.StartAsync("mitmdump",
    ["--listen-host", "127.0.0.1", "-p", mitmPort.ToString(), "--set", $"confdir={mitmConf}", "--ssl-insecure", "-q"], mitmPort))
{
    foreach (var (body, conns) in cells)
        results.Add(await LoadGenerator.RunAsync("mitmdump", mitm.Url, originUrl, body, conns, TimeSpan.FromSeconds(seconds)));
    Console.Error.WriteLine($"mitmdump peak RSS: {mitm.PeakRssMb} MB");
}

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
Console.WriteLine("| body | conns | req/s harness/mitmdump | p50 mitmdump/harness | p99 mitmdump/harness |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (body, conns) in cells)
{
    var h = results.Single(r => r.Target == "harness" && r.BodyBytes == body && r.Connections == conns);
    var m = results.Single(r => r.Target == "mitmdump" && r.BodyBytes == body && r.Connections == conns);
    double Ratio(double a, double b) => b <= 0 ? double.NaN : a / b;
    Console.WriteLine($"| {body / 1024} KiB | {conns} | {Ratio(h.RequestsPerSecond, m.RequestsPerSecond):0.0}x | {Ratio(m.P50Ms, h.P50Ms):0.0}x | {Ratio(m.P99Ms, h.P99Ms):0.0}x |");
}
try { Directory.Delete(work, true); } catch (IOException) { }
