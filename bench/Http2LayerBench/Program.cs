using System.Diagnostics;
using Harness.Flows;
using Harness.Proxy.Http2;

// bench/Http2LayerBench: SECONDS per cell. Both roles of Harness.Proxy.Http2 in one thread, bytes handed across in
// memory: 16 GET streams per round on one connection, each answered with a BODY-octet response, the client consuming
// every DATA frame as it arrives. Prints one line per cell: "BODY exchanges-per-second" (the best of 3 runs).
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
foreach (var size in new[] { 1024, 65536 })
{
    var best = 0.0;
    for (var run = 0; run < 3; run++) best = Math.Max(best, Measure(size, seconds));
    Console.WriteLine($"{size} {best:F0}");
}

static double Measure(int size, double seconds)
{
    var client = new Http2Connection(Http2Role.Client);
    var server = new Http2Connection(Http2Role.Server);
    var body = new byte[size];
    var events = new List<Http2Event>();
    server.Feed(client.TakeOutput(), events);
    client.Feed(server.TakeOutput(), events);
    server.Feed(client.TakeOutput(), events);
    events.Clear();
    HeaderField[] request = [new(":method", "GET"), new(":scheme", "https"), new(":authority", "origin.test"), new(":path", "/bytes?n=" + size), new("user-agent", "bench")];
    HeaderField[] response = [new(":status", "200"), new("content-type", "application/octet-stream"), new("content-length", size.ToString())];
    long exchanges = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < 16; i++) client.SubmitRequest(request, endStream: true);
        server.Feed(client.TakeOutput(), events);
        foreach (var e in events)
        {
            if (e is not Http2RequestReceived r) continue;
            server.SubmitResponse(r.StreamId, response, endStream: false);
            server.SendData(r.StreamId, body, endStream: true);
        }
        events.Clear();
        client.Feed(server.TakeOutput(), events);
        foreach (var e in events)
        {
            if (e is not Http2DataReceived d) continue;
            client.ConsumeData(d.StreamId, d.Data.Length);
            if (d.EndStream) exchanges++;
        }
        events.Clear();
        server.Feed(client.TakeOutput(), events);
        events.Clear();
        if (client.ActiveStreamCount != 0) throw new InvalidOperationException($"{client.ActiveStreamCount} streams left open after a round");
    }
    return exchanges / clock.Elapsed.TotalSeconds;
}
