using System.Text;
using Harness.Flows;
using Harness.Proxy.Capture;

namespace Harness.Proxy.Tests.Capture;

public sealed class FlowStoreTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("harness-store-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static Flow Sample(string id, string url) => new()
    {
        Id = id,
        Host = "h.test",
        Port = 443,
        Scheme = "https",
        Method = "POST",
        Url = url,
        HttpVersion = "HTTP/1.1",
        Timings = new FlowTimings { Start = DateTimeOffset.UtcNow },
        RequestHeaders = [new HeaderField("X-Case", "A"), new HeaderField("x-case", "b")],
        RequestBody = new FlowBody { Raw = [0, 1, 2, 255], Size = 4 },
        Tls = new TlsInfo { Sni = "h.test", Outcome = TlsOutcome.Intercepted },
    };

    [Test]
    public async Task EachFlowIsOnDiskWhenAppendReturns_AndRoundTrips()
    {
        await using var store = new FlowStore(_dir);
        await store.AppendAsync(Sample("1", "https://h.test/a"));
        var lines = File.ReadAllLines(Path.Combine(_dir, FlowStore.FileName));
        Assert.That(lines, Has.Length.EqualTo(1));
        var back = FlowJson.Deserialize(lines[0]);
        Assert.That(back.RequestBody!.Raw, Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
        Assert.That(back.RequestHeaders, Is.EqualTo(Sample("x", "").RequestHeaders));
        Assert.That(back.Tls!.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
    }

    [Test]
    public async Task TornLastLine_IsSkippedByReaders_AndCutByTheNextWriter()
    {
        await using (var store = new FlowStore(_dir)) await store.AppendAsync(Sample("1", "https://h.test/a"));
        var path = Path.Combine(_dir, FlowStore.FileName);
        var half = FlowJson.Serialize(Sample("2", "https://h.test/b"));
        File.AppendAllText(path, half[..(half.Length / 2)], Encoding.UTF8);
        Assert.That(FlowStore.ReadDirectory(_dir).Select(f => f.Id), Is.EqualTo(new[] { "1" }));
        await using (var store = new FlowStore(_dir)) await store.AppendAsync(Sample("3", "https://h.test/c"));
        Assert.That(FlowStore.ReadDirectory(_dir).Select(f => f.Id), Is.EqualTo(new[] { "1", "3" }));
    }

    [Test]
    public async Task Marks_GiveCaptureWindows()
    {
        await using var store = new FlowStore(_dir);
        await store.AppendAsync(Sample("before", "u"));
        var start = store.Mark();
        await store.AppendAsync(Sample("in1", "u"));
        await store.AppendAsync(Sample("in2", "u"));
        var end = store.Mark();
        await store.AppendAsync(Sample("after", "u"));
        Assert.That(store.ReadSince(start).Select(f => f.Id), Is.EqualTo(new[] { "in1", "in2", "after" }));
        Assert.That(store.ReadBetween(start, end).Select(f => f.Id), Is.EqualTo(new[] { "in1", "in2" }));
    }
}
