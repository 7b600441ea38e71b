using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Harness.Adb.Parsing;
using Harness.Adb.Protocol;
using Polly;
using Polly.Retry;

namespace Harness.Adb;

/// <summary>
/// Client of the adb server's host protocol (the smart socket, 127.0.0.1:5037 by default). Every call is async,
/// bounded by a timeout, and retried through a Polly pipeline when the failure is transient.
/// </summary>
public sealed partial class AdbClient
{
    private readonly ResiliencePipeline _retry;
    private readonly SemaphoreSlim _serverStart = new(1, 1);
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _featuresBySerial = new(StringComparer.Ordinal);

    public AdbClient() : this(new AdbClientOptions()) { }

    public AdbClient(AdbClientOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = options.RetryBackoff,
                UseJitter = options.RetryUseJitter,
                ShouldHandle = new PredicateBuilder()
                    .Handle<DeviceOfflineException>()
                    .Handle<AdbServerUnavailableException>()
                    .Handle<SocketException>(),
            });
        }
        _retry = builder.Build();
    }

    public AdbClientOptions Options { get; }

    public string Endpoint => $"{Options.Host}:{Options.Port}";

    // ---------------------------------------------------------------- plumbing

    /// <summary>Opens a connection to the server, starting the server once if the options allow it.</summary>
    public async Task<AdbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AdbConnection.OpenAsync(Options.Host, Options.Port, Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AdbServerUnavailableException) when (Options.StartServerIfMissing)
        {
            await _serverStart.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                try
                {
                    return await AdbConnection.OpenAsync(Options.Host, Options.Port, Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (AdbServerUnavailableException)
                {
                    await AdbServerLauncher.StartAsync(Options.AdbPath, Options.Port, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _serverStart.Release();
            }
            return await AdbConnection.OpenAsync(Options.Host, Options.Port, Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a connection already switched to the device and with <paramref name="service"/> accepted.</summary>
    public async Task<AdbConnection> OpenDeviceServiceAsync(string serial, string service, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.SwitchToDeviceAsync(serial, cancellationToken).ConfigureAwait(false);
            await connection.SendRequestAsync(service, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one attempt-bounded operation through the retry pipeline; a timeout surfaces as <see cref="TimeoutException"/>.</summary>
    internal async Task<T> RunAsync<T>(string what, TimeSpan timeout, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        return await _retry.ExecuteAsync(async token =>
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
            attempt.CancelAfter(timeout);
            try
            {
                return await operation(attempt.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && attempt.IsCancellationRequested && !token.IsCancellationRequested)
            {
                throw new TimeoutException($"adb {what} timed out after {timeout.TotalSeconds:0.###} s (server {Endpoint})", e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    internal Task RunAsync(string what, TimeSpan timeout, Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync<bool>(what, timeout, async token => { await operation(token).ConfigureAwait(false); return true; }, cancellationToken);

    /// <summary>A host service answering OKAY + hex4 body.</summary>
    private Task<string> QueryHostAsync(string request, CancellationToken cancellationToken, string? serial = null) =>
        RunAsync(request, Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            connection.Serial = serial;
            await connection.SendRequestAsync(request, token).ConfigureAwait(false);
            return await connection.ReadHex4StringAsync(token).ConfigureAwait(false);
        }, cancellationToken);

    // ---------------------------------------------------------------- host services

    public async Task<int> GetAdbVersionAsync(CancellationToken cancellationToken = default)
    {
        var body = await QueryHostAsync("host:version", cancellationToken).ConfigureAwait(false);
        return int.TryParse(body, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new AdbProtocolException($"host:version answered \"{body}\", not a hex number");
    }

    /// <summary>`host:kill`: the server answers OKAY and exits.</summary>
    public Task KillServerAsync(CancellationToken cancellationToken = default) =>
        RunAsync("host:kill", Options.CommandTimeout, async token =>
        {
            await using var connection = await AdbConnection.OpenAsync(Options.Host, Options.Port, Options.ConnectTimeout, token).ConfigureAwait(false);
            await connection.SendRequestAsync("host:kill", token).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyList<DeviceData>> GetDevicesAsync(CancellationToken cancellationToken = default) =>
        DeviceListParser.Parse(await QueryHostAsync("host:devices-l", cancellationToken).ConfigureAwait(false));

    /// <summary>The device as the server sees it now; throws <see cref="DeviceNotFoundException"/> when unknown.</summary>
    public async Task<DeviceData> GetDeviceAsync(string serial, CancellationToken cancellationToken = default)
    {
        var devices = await GetDevicesAsync(cancellationToken).ConfigureAwait(false);
        return devices.FirstOrDefault(d => d.Serial == serial)
            ?? throw new DeviceNotFoundException(serial, $"not among the {devices.Count} device(s) of {Endpoint}");
    }

    /// <summary>
    /// Follows `host:track-devices` until cancelled. The first batch reports every present device as Connected.
    /// Only the connection is retried and bounded by a timeout; the stream itself is open-ended.
    /// </summary>
    public async IAsyncEnumerable<DeviceChange> TrackDevicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await RunAsync("host:track-devices", Options.CommandTimeout, async token =>
        {
            var opened = await OpenConnectionAsync(token).ConfigureAwait(false);
            try
            {
                await opened.SendRequestAsync("host:track-devices", token).ConfigureAwait(false);
                return opened;
            }
            catch
            {
                await opened.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);

        await using (connection)
        {
            var decoder = new TrackDevicesDecoder();
            var buffer = new byte[4096];
            while (true)
            {
                int read;
                try
                {
                    read = await connection.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                if (read == 0)
                    throw new AdbServerUnavailableException(Options.Host, Options.Port, new IOException("the adb server closed the track-devices stream"));
                foreach (var change in decoder.Feed(buffer.AsSpan(0, read)))
                    yield return change;
            }
        }
    }

    /// <summary>`adb connect HOST:PORT`. The server always answers OKAY; the text decides.</summary>
    public async Task<string> ConnectAsync(string host, int port = 5555, CancellationToken cancellationToken = default)
    {
        var text = await QueryHostAsync($"host:connect:{host}:{port}", cancellationToken).ConfigureAwait(false);
        if (!ConnectReplyParser.IsConnected(text))
            throw new AdbCommandFailedException($"host:connect:{host}:{port}", text);
        _featuresBySerial.TryRemove($"{host}:{port}", out _);
        return text;
    }

    /// <summary>
    /// `adb pair HOST:PORT CODE` (Android 11+ wireless debugging): the server answers OKAY and a text that starts with
    /// "Successfully paired" on success. An adb server before 30 does not know the service and answers FAIL.
    /// </summary>
    public async Task<string> PairAsync(string hostAndPort, string code, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await QueryHostAsync($"host:pair:{code}:{hostAndPort}", cancellationToken).ConfigureAwait(false);
        }
        catch (AdbCommandFailedException e)
        {
            // The request carries the code: never let it reach a message or a log.
            throw new AdbCommandFailedException($"host:pair:{hostAndPort}", e.Reason);
        }
        if (!text.StartsWith("Successfully paired", StringComparison.Ordinal))
            throw new AdbCommandFailedException($"host:pair:{hostAndPort}", text);
        return text;
    }

    public async Task<string> DisconnectAsync(string host, int port = 5555, CancellationToken cancellationToken = default)
    {
        var text = await QueryHostAsync($"host:disconnect:{host}:{port}", cancellationToken).ConfigureAwait(false);
        _featuresBySerial.TryRemove($"{host}:{port}", out _);
        if (!ConnectReplyParser.IsDisconnected(text))
            throw new AdbCommandFailedException($"host:disconnect:{host}:{port}", text);
        return text;
    }

    /// <summary>The device's feature list (shell_v2, cmd, stat_v2, …), cached per serial for this client.</summary>
    public async Task<IReadOnlySet<string>> GetFeaturesAsync(string serial, CancellationToken cancellationToken = default)
    {
        if (_featuresBySerial.TryGetValue(serial, out var cached)) return cached;
        var body = await QueryHostAsync($"host-serial:{serial}:features", cancellationToken, serial).ConfigureAwait(false);
        var features = body.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        _featuresBySerial[serial] = features;
        return features;
    }

    /// <summary>Forgets cached features, e.g. after the device reconnected with another adbd.</summary>
    public void ForgetFeatures(string serial) => _featuresBySerial.TryRemove(serial, out _);
}
