using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Capture;

/// <summary>The FlowStore's background writer: batching must not cost durability, order or completeness.</summary>
public sealed class FlowStoreWriterTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("harness-store-writer-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static Flow Sample(string id, int bodyBytes = 16)
    {
        var body = new byte[bodyBytes];
        new Random(id.GetHashCode()).NextBytes(body);
        return new Flow
        {
            Id = id,
            Host = "h.test",
            Port = 443,
            Scheme = "https",
            Method = "GET",
            Url = "https://h.test/" + id,
            Timings = new FlowTimings { Start = DateTimeOffset.UtcNow },
            ResponseBody = new FlowBody { Raw = body, Size = body.Length },
        };
    }

    [Test]
    public async Task ConcurrentAppends_AllLandOnce_AsWholeLines()
    {
        await using var store = new FlowStore(_dir);
        // More writers than the queue holds, with bodies big enough to cross the batch write threshold.
        var ids = Enumerable.Range(0, 300).Select(i => $"f{i:D3}").ToArray();
        await Task.WhenAll(ids.Select(id => Task.Run(() => store.AppendAsync(Sample(id, 20_000)))));
        var back = store.ReadAll();
        Assert.That(back.Select(f => f.Id).Order(), Is.EqualTo(ids));
        Assert.That(store.Count, Is.EqualTo(ids.Length));
        var first = back.Single(f => f.Id == "f007");
        Assert.That(first.ResponseBody!.Raw, Is.EqualTo(Sample("f007", 20_000).ResponseBody!.Raw));
    }

    [Test]
    public async Task BurstOfBigBodies_BeyondTheQueueByteCap_AllLand()
    {
        // 40 × 3 MiB is more than the queue may hold at once: producers wait for room, none is dropped or stuck.
        await using var store = new FlowStore(_dir);
        var ids = Enumerable.Range(0, 40).Select(i => $"big{i:D2}").ToArray();
        await Task.WhenAll(ids.Select(id => Task.Run(() => store.AppendAsync(Sample(id, 3 * 1024 * 1024)))))
            .WaitAsync(TimeSpan.FromSeconds(120));
        Assert.That(store.ReadAll().Select(f => f.Id).Order(), Is.EqualTo(ids));
    }

    [Test]
    public async Task AFlowWhoseAppendReturned_IsInTheFile_WhileTheStoreIsStillOpen()
    {
        // A kill -9 loses what the process holds, not what the OS holds: a second, independent reader must see the flow
        // before the store is closed or flushed by anyone.
        var store = new FlowStore(_dir);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await store.AppendAsync(Sample("k" + i, 70_000));
                var onDisk = FlowStore.ReadDirectory(_dir);
                Assert.That(onDisk.Select(f => f.Id), Is.EqualTo(Enumerable.Range(0, i + 1).Select(n => "k" + n)));
                Assert.That(new FileInfo(Path.Combine(_dir, FlowStore.FileName)).Length, Is.EqualTo(store.Mark().Offset),
                    "the mark is the end of what is on disk, on a line boundary");
            }
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    [Test]
    public async Task Dispose_DrainsEveryQueuedFlow_ThenRefusesNewOnes()
    {
        var store = new FlowStore(_dir);
        // Queue without waiting for the disk, as the proxy does, then stop at once.
        var stored = new List<Task>();
        for (var i = 0; i < 200; i++) stored.Add(await store.EnqueueAsync(Sample("q" + i, 5_000)));
        await store.DisposeAsync();
        Assert.That(stored.All(t => t.IsCompletedSuccessfully), "every queued flow was written before dispose returned");
        Assert.That(FlowStore.ReadDirectory(_dir).Select(f => f.Id), Is.EqualTo(Enumerable.Range(0, 200).Select(n => "q" + n)), "in queue order");
        Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendAsync(Sample("late")));
    }

    [Test]
    public async Task SynchronousDispose_AlsoDrains()
    {
        var store = new FlowStore(_dir);
        var stored = await store.EnqueueAsync(Sample("one"));
        store.Dispose();
        Assert.That(stored.IsCompletedSuccessfully);
        Assert.That(FlowStore.ReadDirectory(_dir).Select(f => f.Id), Is.EqualTo(new[] { "one" }));
    }

    [Test]
    public async Task AppendedEvent_FiresAfterTheFlowIsOnDisk()
    {
        await using var store = new FlowStore(_dir);
        var seenOnDisk = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Appended += flow => seenOnDisk.TrySetResult(FlowStore.ReadDirectory(_dir).Any(f => f.Id == flow.Id));
        await store.AppendAsync(Sample("e"));
        Assert.That(await seenOnDisk.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public void FlowJsonWriterOverload_WritesTheSameBytesAsTheArrayOne()
    {
        var flow = Sample("same", 3_000);
        flow.RequestHeaders = [new HeaderField("X-Q", "a+b/<c>&\"d\"")];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FlowJson.Options.Encoder }))
            FlowJson.Serialize(writer, flow);
        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(FlowJson.SerializeToUtf8(flow)));
    }

    [Test]
    public async Task ProxyStop_WaitsUntilEveryRecordedFlowIsStoredAndAnnounced()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var announced = 0;
        fx.Proxy.FlowCompleted += _ =>
        {
            Interlocked.Increment(ref announced);
            return Task.CompletedTask;
        };
        const int requests = 40;
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, fx.Proxy.LocalEndPoint.Port);
            await using var stream = new NetworkStream(socket);
            // Pipelined keep-alive requests answered by the sinkhole; the last one closes the connection.
            var wire = new StringBuilder();
            for (var i = 0; i < requests; i++)
                wire.Append($"GET http://sink.test/{i} HTTP/1.1\r\nHost: sink.test\r\n{(i == requests - 1 ? "Connection: close\r\n" : "")}\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(wire.ToString()));
            using var drain = new MemoryStream();
            await stream.CopyToAsync(drain).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.That(Encoding.ASCII.GetString(drain.ToArray()).Split("HTTP/1.1 200").Length - 1, Is.EqualTo(requests));
        }
        await fx.Proxy.StopAsync();
        Assert.That(Volatile.Read(ref announced), Is.EqualTo(requests), "every flow was announced before StopAsync returned");
        var urls = fx.Store.ReadAll().Select(f => f.Url).ToList();
        Assert.That(urls, Is.EqualTo(Enumerable.Range(0, requests).Select(i => $"http://sink.test/{i}")), "all on disk, in the connection's order");
    }
}
