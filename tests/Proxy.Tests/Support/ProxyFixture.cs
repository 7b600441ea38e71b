using System.Threading.Channels;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Certificates;

namespace Harness.Proxy.Tests.Support;

/// <summary>A proxy on 127.0.0.1:0 with a fresh CA and store in a temp directory, and a way to wait for flows.</summary>
internal sealed class ProxyFixture : IAsyncDisposable
{
    private readonly Channel<Flow> _flows = Channel.CreateUnbounded<Flow>();
    private readonly List<Flow> _seen = [];

    private ProxyFixture(string root, CertificateAuthority ca, FlowStore store, InterceptingProxy proxy)
    {
        Root = root;
        Ca = ca;
        Store = store;
        Proxy = proxy;
        proxy.FlowCompleted += session =>
        {
            _flows.Writer.TryWrite(session.Flow);
            return Task.CompletedTask;
        };
    }

    public string Root { get; }
    public CertificateAuthority Ca { get; }
    public FlowStore Store { get; }
    public InterceptingProxy Proxy { get; }
    public string ProxyUrl => $"http://127.0.0.1:{Proxy.LocalEndPoint.Port}";
    public string CaPemPath => Path.Combine(Root, "ca.pem");

    public static async Task<ProxyFixture> StartAsync(Action<InterceptingProxyOptions>? configure = null, long maxBody = FlowStore.DefaultMaxBodyBytes)
    {
        var root = Directory.CreateTempSubdirectory("harness-proxy-test-").FullName;
        var ca = CertificateAuthority.LoadOrCreate(Path.Combine(root, "ca"));
        await File.WriteAllTextAsync(Path.Combine(root, "ca.pem"), ca.ExportPem());
        var store = new FlowStore(Path.Combine(root, "store"), maxBody);
        var options = new InterceptingProxyOptions { CertificateAuthority = ca, Store = store };
        configure?.Invoke(options);
        var proxy = new InterceptingProxy(options);
        await proxy.StartAsync();
        return new ProxyFixture(root, ca, store, proxy);
    }

    /// <summary>The first completed flow (past or future) that matches.</summary>
    public async Task<Flow> WaitForFlowAsync(Func<Flow, bool> match, int seconds = 20)
    {
        lock (_seen)
        {
            var found = _seen.FirstOrDefault(match);
            if (found is not null) return found;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var flow = await _flows.Reader.ReadAsync(timeout.Token);
                lock (_seen) _seen.Add(flow);
                if (match(flow)) return flow;
            }
        }
        catch (OperationCanceledException)
        {
            List<Flow> all;
            lock (_seen) all = [.. _seen];
            Assert.Fail($"no matching flow within {seconds} s; flows seen: " + string.Join("; ", all.Select(f => $"{f.Kind} {f.Method} {f.Url ?? f.Host} {f.StatusCode} {f.Tls?.Outcome} {f.Error?.Message}")));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Store.DisposeAsync();
        Ca.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
