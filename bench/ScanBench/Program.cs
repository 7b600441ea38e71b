using System.Diagnostics;
using System.Globalization;
using Harness.Bench.ScanBench;
using Harness.Leaks;

// Scan throughput on one core: the same generated capture scanned with 10 and with 1,000 canaries, chunk by chunk,
// so a 1 GB capture never has to fit in memory. Usage: ScanBench [--size-mb N] [--chunk-mb N] [--seed N]
var sizeMb = 1024L;
var chunkMb = 64L;
var seed = 1;
var shape = -1;
// Scans each chunk this many times per configuration: with a small --size-mb, a profile then shows the scanner, not
// the generator or the JIT.
var repeat = 1;
// "10" or "1000": scan with that configuration only (to profile one of them).
string? only = null;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--size-mb": sizeMb = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--chunk-mb": chunkMb = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--shape": shape = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--only": only = args[++i]; break;
    }
}

// One core: the scanner is single-threaded. run.sh pins the whole process (taskset); on Linux this call pins only the
// calling thread, which still keeps the scan itself on one core when the bench is run directly.
if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()) Process.GetCurrentProcess().ProcessorAffinity = 1;

var random = new Random(seed);
CanarySet Canaries(int count)
{
    var list = new List<Canary>();
    var kinds = new[] { CanaryKind.Url, CanaryKind.Host, CanaryKind.Path, CanaryKind.Query, CanaryKind.Title };
    while (list.Count < count)
    {
        var set = CanarySet.Generate(random);
        list.AddRange(set.Canaries.Take(count - list.Count));
    }
    return new CanarySet(list);
}

if (args.Contains("--micro"))
{
    var data = new byte[64 << 20];
    new Random(1).NextBytes(data);
    var m = new CanaryScanner().PatternsFor(Canaries(1000));
    var hits = new List<PatternHit>();
    var t = Stopwatch.StartNew();
    m.Matcher.Search(data, hits);
    Console.WriteLine($"AC over random: {64 / t.Elapsed.TotalSeconds:F0} MB/s");
    var runs = new List<EncodedRun>();
    t.Restart();
    Base64Decoder.FindRuns(data, 16, runs);
    HexDecoder.FindRuns(data, 16, runs);
    Console.WriteLine($"runs over random: {64 / t.Elapsed.TotalSeconds:F0} MB/s");
    t.Restart();
    var x = PayloadWalker.LooksText(data);
    new PayloadWalker(ScanLimits.Default).Walk(data, DecodePath.Root("body"), "image/jpeg", new CanaryHitCollector(m));
    Console.WriteLine($"walk over random: {64 / t.Elapsed.TotalSeconds:F0} MB/s");
    var blob = data.AsMemory(0, 30000);
    int brotliPass = 0, deflatePass = 0, protobufPass = 0;
    t.Restart();
    for (var i = 0; i < 1000; i++) if (CompressionDecoder.BrotliProbe(data.AsSpan(i * 1024, 1024))) brotliPass++;
    Console.WriteLine($"brotli probe: {t.Elapsed.TotalMilliseconds / 1000:F3} ms each, {brotliPass}/1000 pass");
    t.Restart();
    for (var i = 0; i < 1000; i++) if (CompressionDecoder.RawDeflateProbe(data.AsMemory(i * 1024, 1024))) deflatePass++;
    Console.WriteLine($"deflate probe: {t.Elapsed.TotalMilliseconds / 1000:F3} ms each, {deflatePass}/1000 pass");
    t.Restart();
    for (var i = 0; i < 1000; i++) if (ProtobufDecoder.TryParse(data.AsMemory(i * 30000 % (60 << 20), 30000)) is not null) protobufPass++;
    Console.WriteLine($"protobuf: {t.Elapsed.TotalMilliseconds / 1000:F3} ms each, {protobufPass}/1000 pass");
    t.Restart();
    for (var i = 0; i < 100; i++) Base64Decoder.Decode(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(data, i * 30000, 30000)));
    Console.WriteLine($"b64 encode+decode 30KB: {t.Elapsed.TotalMilliseconds / 100:F3} ms each");
    return;
}
var small = Canaries(10);
var large = Canaries(1000);
var scanner = new CanaryScanner();
var smallPatterns = scanner.PatternsFor(small);
var largePatterns = scanner.PatternsFor(large);
Console.WriteLine($"patterns: 10 canaries -> {smallPatterns.Patterns.Count} patterns, {smallPatterns.Matcher.StateCount} states; 1000 canaries -> {largePatterns.Patterns.Count} patterns, {largePatterns.Matcher.StateCount} states");

var requestSmall = new ScanRequest { Canaries = small, ScanResponseBodies = true };
var requestLarge = new ScanRequest { Canaries = large, ScanResponseBodies = true };
var generator = new TrafficGenerator(seed, shape);

// Warm-up so JIT tiering does not count against the first configuration.
// Three passes: tiered compilation promotes hot methods only after they have been called for a while, and on-stack
// replacement of long loops after that, so one pass leaves the first measured configuration with half-tiered code.
var warm = new TrafficGenerator(seed + 1, shape).Chunk(32L << 20, out _);
for (var pass = 0; pass < 3; pass++)
{
    scanner.FindLeaks(warm, requestSmall, requestSmall.EffectiveDestinations);
    scanner.FindLeaks(warm, requestLarge, requestLarge.EffectiveDestinations);
}

long total = 0;
var timeSmall = TimeSpan.Zero;
var timeLarge = TimeSpan.Zero;
// CPU time as well as wall time: on a shared machine wall time measures the neighbours too.
var cpuSmall = TimeSpan.Zero;
var cpuLarge = TimeSpan.Zero;
var process = Process.GetCurrentProcess();
var chunks = 0;
var findings = 0;
long allocated = 0;
var gen0 = 0;
while (total < sizeMb << 20)
{
    var flows = generator.Chunk(Math.Min(chunkMb << 20, (sizeMb << 20) - total), out var bytes);
    total += bytes * repeat;
    // Alternate which configuration goes first so neither always gets the cold chunk.
    var order = chunks++ % 2 == 0 ? new[] { false, true } : new[] { true, false };
    foreach (var useLarge in order)
    {
        if (only is not null && only != (useLarge ? "1000" : "10")) continue;
        var request = useLarge ? requestLarge : requestSmall;
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gen0Before = GC.CollectionCount(0);
        var sw = Stopwatch.StartNew();
        for (var r = 0; r < repeat; r++) findings += scanner.FindLeaks(flows, request, request.EffectiveDestinations).Count;
        var wall = sw.Elapsed;
        allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        gen0 += GC.CollectionCount(0) - gen0Before;
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        if (useLarge) { timeLarge += wall; cpuLarge += used; }
        else { timeSmall += wall; cpuSmall += used; }
    }
}

var mb = total / 1048576.0;
var rateSmall = mb / timeSmall.TotalSeconds;
var rateLarge = mb / timeLarge.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"capture: {mb:F0} MB scanned twice (chunks of {chunkMb} MB), findings {findings} (expected 0: no canary planted)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"10 canaries:    {rateSmall,8:F1} MB/s ({timeSmall.TotalSeconds:F1} s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1000 canaries:  {rateLarge,8:F1} MB/s ({timeLarge.TotalSeconds:F1} s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"by CPU time:    10 canaries {mb / cpuSmall.TotalSeconds:F1} MB/s, 1000 canaries {mb / cpuLarge.TotalSeconds:F1} MB/s, slowdown {(cpuLarge.TotalSeconds / cpuSmall.TotalSeconds - 1) * 100:F1} %"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated:      {allocated / 2.0 / total:F2} bytes per scanned byte, {gen0} gen0 collections"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slowdown with 1000 canaries: {(timeLarge.TotalSeconds / timeSmall.TotalSeconds - 1) * 100:F1} %"));
Console.WriteLine($"targets: >= 200 MB/s: {(Math.Min(rateSmall, rateLarge) >= 200 ? "met" : "NOT met")}; < 20 % slower: {(timeLarge.TotalSeconds / timeSmall.TotalSeconds - 1 < 0.20 ? "met" : "NOT met")}");
