using System.Net;
using System.Net.Sockets;
using System.Text;
using Harness.Core;
using Harness.Flows;
using Harness.Proxy;
using Harness.Proxy.Capture;
using Harness.Proxy.Certificates;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Faults at the proxy: its port taken, a client that hangs up mid-body, an upstream that never answers, a store that
/// cannot be written. Each must hit only the flow it touches, be recorded with its cause, and leave the proxy serving.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ProxyFaultTests
{
    private const string Ok = "HTTP/1.1 200";

    private sealed class Rig : IAsyncDisposable
    {
        public required TempFolder Dir { get; init; }
        public required CertificateAuthority Ca { get; init; }
        public required FlowStore Store { get; init; }
        public required InterceptingProxy Proxy { get; init; }
        public List<Flow> Completed { get; } = [];

        public static async Task<Rig> StartAsync(Action<InterceptingProxyOptions>? configure = null, string? storeDirectory = null)
        {
            var dir = new TempFolder();
            var ca = CertificateAuthority.LoadOrCreate(dir.Combine("ca"));
            var store = new FlowStore(storeDirectory ?? dir.Combine("store"));
            var options = new InterceptingProxyOptions { CertificateAuthority = ca, Store = store };
            configure?.Invoke(options);
            var proxy = new InterceptingProxy(options);
            var rig = new Rig { Dir = dir, Ca = ca, Store = store, Proxy = proxy };
            proxy.FlowCompleted += session =>
            {
                lock (rig.Completed) rig.Completed.Add(session.Flow);
                return Task.CompletedTask;
            };
            await proxy.StartAsync();
            return rig;
        }

        /// <summary>One request on its own connection; returns the response head as text (empty if the proxy closed).</summary>
        public async Task<string> SendAsync(string request, bool halfClose = false)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Proxy.LocalEndPoint);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            if (halfClose) client.Client.Shutdown(SocketShutdown.Send);
            var response = new MemoryStream();
            var buffer = new byte[8192];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) break;
                response.Write(buffer, 0, read);
                if (Encoding.ASCII.GetString(response.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
            }
            return Encoding.ASCII.GetString(response.ToArray());
        }

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Store.DisposeAsync();
            Ca.Dispose();
            Dir.Dispose();
        }
    }

    private static string Get(string host, string path = "/") => $"GET http://{host}{path} HTTP/1.1\r\nHost: {host}\r\n\r\n";

    [Test]
    public async Task ProxyPortTakenAtStart_IsAClearInfrastructureError()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var dir = new TempFolder();
        var result = await BuiltCli.RunAsync(["proxy", "--listen", $"127.0.0.1:{port}", "--store", dir.Combine("store"), "--ca-dir", dir.Combine("ca")]);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), result.ToString());
        Assert.That(result.Stderr, Does.Contain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Or.Contain("in use"), "names the port or says it is in use: " + result);
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }

    [Test]
    public async Task ClientClosesMidBody_FlowRecordedAsClientAbort_OtherFlowsUnaffected()
    {
        await using var rig = await Rig.StartAsync();
        Assert.That(await rig.SendAsync(Get("before.example")), Does.StartWith(Ok));

        // Promise 10 000 bytes, send 100, hang up.
        var partial = "POST http://abort.example/upload HTTP/1.1\r\nHost: abort.example\r\nContent-Length: 10000\r\n\r\n" + new string('x', 100);
        await rig.SendAsync(partial, halfClose: true);

        Assert.That(await rig.SendAsync(Get("after.example")), Does.StartWith(Ok), "the proxy still serves");
        await rig.Proxy.StopAsync();
        var stored = rig.Store.ReadAll();
        Assert.That(stored.Select(f => f.Host), Is.SupersetOf(new[] { "before.example", "after.example", "abort.example" }), "no flow lost, the aborted one included");
        var aborted = stored.Single(f => f.Host == "abort.example");
        Assert.That(aborted.Error?.Kind, Is.EqualTo(FlowErrorKind.ClientAbort), "the cause is on the flow");
        Assert.That(stored.Where(f => f.Host != "abort.example").Select(f => f.Error), Is.All.Null);
    }

    [Test]
    public async Task UpstreamHangs_TimeoutRecordedOnTheFlow_ProxyKeepsServing()
    {
        // A local origin that accepts and never answers.
        using var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        var accepted = new List<TcpClient>();
        var acceptLoop = Task.Run(async () =>
        {
            try { while (true) { var c = await origin.AcceptTcpClientAsync(); lock (accepted) accepted.Add(c); } }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        var originPort = ((IPEndPoint)origin.LocalEndpoint).Port;
        await using var rig = await Rig.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamResponseTimeout = TimeSpan.FromSeconds(1);
        });

        var response = await rig.SendAsync(Get($"127.0.0.1:{originPort}", "/hangs"));
        Assert.That(response, Does.StartWith("HTTP/1.1 504").Or.StartWith("HTTP/1.1 502"), "the client is told, not left hanging");

        await rig.Proxy.StopAsync();
        var flow = rig.Store.ReadAll().Single(f => f.Url?.Contains("/hangs", StringComparison.Ordinal) == true);
        Assert.That(flow.Error?.Kind, Is.EqualTo(FlowErrorKind.Timeout), $"error on the flow: {flow.Error}");
        origin.Stop();
        lock (accepted) foreach (var c in accepted) c.Dispose();
        await acceptLoop;
    }

    [Test]
    public async Task StoreCannotBeWritten_EveryFlowStillAnsweredAndAnnouncedWithTheStoreError()
    {
        if (!File.Exists("/dev/full")) Assert.Ignore("needs /dev/full to simulate a full disk");
        using var dir = new TempFolder();
        // Flows already on disk from before the disk filled up...
        var earlier = dir.Combine("earlier");
        await using (var good = new FlowStore(earlier))
            await good.AppendAsync(new Flow { Id = "kept-1", Host = "kept.example", Url = "http://kept.example/", Method = "GET" });
        var earlierBytes = await File.ReadAllBytesAsync(Path.Combine(earlier, FlowStore.FileName));

        // ...then a store whose every write fails with ENOSPC, as on a full disk.
        var full = dir.Combine("full");
        Directory.CreateDirectory(full);
        File.CreateSymbolicLink(Path.Combine(full, FlowStore.FileName), "/dev/full");
        await using var rig = await Rig.StartAsync(storeDirectory: full);
        for (var i = 0; i < 3; i++)
            Assert.That(await rig.SendAsync(Get($"n{i}.example")), Does.StartWith(Ok), "answered although the store is full");
        await rig.Proxy.StopAsync();

        lock (rig.Completed)
        {
            Assert.That(rig.Completed, Has.Count.EqualTo(3), "every flow is announced, none dropped silently");
            Assert.That(rig.Completed.Select(f => f.Tags.GetValueOrDefault("storeError")), Is.All.Contain("space").IgnoreCase,
                "each names the store failure so the case can be made inconclusive");
        }
        Assert.That(rig.Store.Count, Is.Zero);
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(earlier, FlowStore.FileName)), Is.EqualTo(earlierBytes), "what was written before is kept");
        Assert.That(FlowStore.ReadDirectory(earlier).Single().Id, Is.EqualTo("kept-1"));
    }
}
