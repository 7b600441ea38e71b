using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Addons;

/// <summary>One place creates a flow and one place completes it; every exchange opened is completed exactly once.</summary>
public sealed partial class FlowLifecycleTests
{
    [GeneratedRegex(@"new\s+Flow\s*[({]|\bFlow\s+\w+\s*\([^)]*\)\s*=>\s*new\s*\(", RegexOptions.Multiline)]
    private static partial Regex FlowConstruction();

    [Test]
    public void TheProxyCreatesFlowsInExactlyOnePlace()
    {
        var proxySources = Path.Combine(NpmPackage.RepositoryRoot(), "harness", "Proxy");
        var places = Directory.EnumerateFiles(proxySources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => FlowConstruction().Matches(File.ReadAllText(f)).Select(_ => Path.GetFileName(f)))
            .ToList();
        Assert.That(places, Is.EqualTo(new[] { "FlowLifecycle.cs" }), "a flow is created only by FlowLifecycle.Open");
    }

    [Test]
    public async Task EveryOpenedFlowIsCompletedOnce_WhateverWentWrong()
    {
        await using var fx = await ProxyFixture.StartAsync(o => o.UpstreamMode = UpstreamMode.Forward);
        var closedPort = ClosedLoopbackPort();
        string[] requests =
        [
            // refused upstream → 502
            $"GET http://127.0.0.1:{closedPort}/ HTTP/1.1\r\nHost: 127.0.0.1:{closedPort}\r\nConnection: close\r\n\r\n",
            // no Host, origin-form → 400
            "GET /nowhere HTTP/1.1\r\n\r\n",
            // bad CONNECT authority → 400
            "CONNECT nohostport HTTP/1.1\r\n\r\n",
            // client gives up mid-body
            "POST http://127.0.0.1:1/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Length: 100\r\n\r\npartial",
            // bare LF header injection → protocol error
            "GET http://x.test/ HTTP/1.1\r\nHost: x.test\nX: 1\r\n\r\n",
        ];
        foreach (var request in requests) await SendAndCloseAsync(fx, request);
        for (var i = 0; i < requests.Length; i++) await fx.WaitForFlowAsync(_ => true);
        await fx.Proxy.StopAsync();
        Assert.That(fx.Proxy.OpenFlowCount, Is.Zero, "an exchange was opened and never recorded");
        Assert.That(fx.Proxy.Flows.CompletedCount, Is.EqualTo(requests.Length), "one flow per exchange");
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task SendAndCloseAsync(ProxyFixture fx, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", fx.Proxy.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        client.Client.Shutdown(SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await stream.CopyToAsync(Stream.Null, timeout.Token);
    }
}
