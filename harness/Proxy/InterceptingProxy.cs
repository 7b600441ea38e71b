using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Capture;
using Harness.Proxy.Certificates;

namespace Harness.Proxy;

/// <summary>
/// Explicit HTTP(S) proxy that intercepts TLS with our CA and records every flow, failures included.
/// Features are addons on named events (<see cref="ProxyAddon"/>, <see cref="InterceptingProxyOptions.Addons"/>); the
/// .NET events mirror Titanium.Web.Proxy: <see cref="BeforeRequest"/> (head known, body not yet read; a handler may
/// answer locally), <see cref="BeforeResponse"/> (response head known), <see cref="FlowCompleted"/> (flow final, already stored).
/// </summary>
public sealed class InterceptingProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly SecretMaskingAddon _maskingAddon = new();
    private readonly FlowRecordingAddon _recordingAddon;
    private long _nextFlow;
    private long _nextConnection;
    private Task? _acceptLoop;
    private FrozenSet<string> _canaryHosts;

    public InterceptingProxy(InterceptingProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.CertificateAuthority, nameof(options.CertificateAuthority));
        if (!IPAddress.IsLoopback(options.ListenEndPoint.Address) && !options.AllowRemote)
            throw new InvalidOperationException($"refusing to listen on {options.ListenEndPoint}: not loopback (set AllowRemote to accept that risk)");
        Options = options;
        CertificateAuthority = options.CertificateAuthority;
        LeafIssuer = new LeafCertificateIssuer(options.CertificateAuthority);
        MaxBodyBytes = options.MaxStoredBodyBytes ?? options.Store?.MaxBodyBytes ?? FlowStore.DefaultMaxBodyBytes;
        _canaryHosts = options.CanaryHosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _listener = new Socket(options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _recordingAddon = new FlowRecordingAddon(this, options.Store);
        // Masking first, so no later addon (nor the store) sees a secret; the library's addons may answer before the
        // canary page and the sinkhole; recording last, once the flow is final.
        Addons = new AddonPipeline([_maskingAddon, new EventHandlerAddon(this), .. options.Addons, new CanaryPageAddon(this), new SinkholeAddon(options), _recordingAddon]);
        Flows = new FlowLifecycle(NextFlowId, options.TimeProvider, Addons);
    }

    public event Func<ProxySession, Task>? BeforeRequest;
    public event Func<ProxySession, Task>? BeforeResponse;
    public event Func<ProxySession, Task>? FlowCompleted;

    internal InterceptingProxyOptions Options { get; }
    internal LeafCertificateIssuer LeafIssuer { get; }
    internal long MaxBodyBytes { get; }
    public CertificateAuthority CertificateAuthority { get; }

    /// <summary>
    /// Value for Chromium's --ignore-certificate-errors-spki-list: the CA's and the shared leaf key's SPKI hashes
    /// (SslStream does not send the self-signed root, so Chromium only sees the leaf).
    /// </summary>
    public string ChromiumSpkiList => CertificateAuthority.SpkiSha256Base64 + "," + LeafIssuer.LeafSpkiSha256Base64;

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    /// <summary>Replace the canary hosts (per run); takes effect for requests that start afterwards.</summary>
    public void SetCanaryHosts(IEnumerable<string> hosts) => Volatile.Write(ref _canaryHosts, hosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase));

    /// <summary>Secrets masked in every flow before it is stored or announced (see <see cref="FlowSecretMasker"/>).</summary>
    public void SetMaskedSecrets(IEnumerable<MaskedSecret> secrets) => _maskingAddon.SetSecrets(secrets);

    public bool IsCanaryHost(string host) => Volatile.Read(ref _canaryHosts).Contains(host);

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_acceptLoop is not null) throw new InvalidOperationException("already started");
        _listener.Bind(Options.ListenEndPoint);
        _listener.Listen(512);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopping.IsCancellationRequested) return;
                continue;
            }
            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnection);
            var connection = new ClientConnection(this, socket);
            _connections[id] = Task.Run(async () =>
            {
                try { await connection.RunAsync(stopping).ConfigureAwait(false); }
                finally { _connections.TryRemove(id, out _); }
            }, CancellationToken.None);
        }
    }

    internal string NextFlowId() => $"{_runId}-{Interlocked.Increment(ref _nextFlow):D6}";

    internal TimeProvider Time => Options.TimeProvider;

    internal AddonPipeline Addons { get; }

    /// <summary>The one place flows are created and completed.</summary>
    internal FlowLifecycle Flows { get; }

    /// <summary>Exchanges begun and not yet recorded (0 when the proxy is idle: every flow opened was completed once).</summary>
    public int OpenFlowCount => Flows.OpenCount;

    internal async Task RaiseAsync(Func<ProxySession, Task>? handlers, ProxySession session)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<ProxySession, Task>>())
        {
            try
            {
                await handler(session).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A faulty handler must not break capture; the failure stays visible on the flow.
                session.Flow.Tags[AddonPipeline.HandlerErrorTag] = e.GetType().Name + ": " + e.Message;
            }
        }
    }

    internal Task RaiseBeforeRequestAsync(ProxySession session) => RaiseAsync(BeforeRequest, session);
    internal Task RaiseBeforeResponseAsync(ProxySession session) => RaiseAsync(BeforeResponse, session);
    internal Task RaiseFlowCompletedAsync(ProxySession session) => RaiseAsync(FlowCompleted, session);

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        var pending = _connections.Values.ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        // Flows recorded by those connections are queued in the store: wait until they are on disk and announced.
        await _recordingAddon.DrainAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        LeafIssuer.Dispose();
        _stopping.Dispose();
    }
}
