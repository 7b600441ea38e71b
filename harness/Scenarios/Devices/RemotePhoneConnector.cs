using Harness.Adb;
using Polly;
using Polly.Retry;

namespace Harness.Scenarios;

/// <summary>
/// Attaches phones reached over the network to our adb server and keeps them attached: `adb pair` when a code is given,
/// `adb connect` retried with exponential backoff (a phone whose Wi-Fi just woke up, a farm's tunnel still opening),
/// then a wait until adb reports the phone as `device` (not `offline`, `connecting` or `unauthorized`). Before each case
/// <see cref="EnsureConnectedAsync"/> reconnects a phone that dropped, and after the run <see cref="DisconnectAsync"/>
/// detaches it.
/// </summary>
public sealed class RemotePhoneConnector
{
    /// <summary>Pushed once to measure the tunnel's throughput (deleted right after).</summary>
    public const string ProbePath = "/data/local/tmp/harness-tunnel-probe";
    private const int ProbeBytes = 1024 * 1024;
    private const int RoundTrips = 10;

    private readonly AdbClient _adb;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _connect;
    private readonly ResiliencePipeline _online;
    private readonly ResiliencePipeline _pair;

    public RemotePhoneConnector(AdbClient adb, TimeProvider time, int connectAttempts = 6, TimeSpan? firstDelay = null, TimeSpan? onlineTimeout = null)
    {
        _adb = adb;
        _time = time;
        _connect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AdbException>().Handle<IOException>().Handle<TimeoutException>(),
                MaxRetryAttempts = Math.Max(0, connectAttempts - 1),
                Delay = firstDelay ?? TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        // A wrong or expired pairing code does not get better by asking again: only a server that did not answer is retried.
        _pair = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AdbServerUnavailableException>().Handle<IOException>().Handle<TimeoutException>(),
                MaxRetryAttempts = 2,
                Delay = firstDelay ?? TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
        // adb reports a freshly connected phone as offline until its CNXN arrives (unauthorized until the key is accepted).
        _online = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(onlineTimeout ?? TimeSpan.FromSeconds(30))
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DeviceOfflineException>().Handle<DeviceNotFoundException>(),
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(2),
            })
            .Build();
    }

    /// <summary>Pairs (when a code is given), connects, waits for `device`, then measures the tunnel.</summary>
    /// <exception cref="AdbException">The phone could not be attached; the message says at which step and why.</exception>
    public async Task<TunnelMeasurement> ConnectAsync(RemotePhoneLink link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link.PairEndpoint is { } pairAt && link.PairingCode is { } code)
        {
            try
            {
                await _pair.ExecuteAsync(async token => await _adb.PairAsync(pairAt, code, token).ConfigureAwait(false), ct).ConfigureAwait(false);
            }
            catch (AdbCommandFailedException e)
            {
                throw new AdbCommandFailedException($"adb pair {pairAt}", $"{e.Reason} (pairing needs an adb server of version 30 or later and the phone's current code under Wireless debugging → Pair device with pairing code)");
            }
        }
        await AttachAsync(link, ct).ConfigureAwait(false);
        return await MeasureAsync(link, ct).ConfigureAwait(false);
    }

    /// <summary>Reconnects a phone adb no longer reports as `device`; true when it had to.</summary>
    public async Task<bool> EnsureConnectedAsync(RemotePhoneLink link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        var devices = await _adb.GetDevicesAsync(ct).ConfigureAwait(false);
        if (devices.Any(d => d.Serial == link.Serial && d.State == DeviceState.Device)) return false;
        // A dropped TCP transport can linger as "offline": forget it, or `adb connect` answers "already connected".
        try { await _adb.DisconnectAsync(link.Host, link.Port, ct).ConfigureAwait(false); }
        catch (AdbCommandFailedException) { }
        _adb.ForgetFeatures(link.Serial);
        await AttachAsync(link, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>`adb disconnect`; a phone (or a server) already gone is not an error: there is nothing left to detach.</summary>
    public async Task DisconnectAsync(RemotePhoneLink link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        try { await _adb.DisconnectAsync(link.Host, link.Port, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is AdbException or IOException or TimeoutException) { }
    }

    private async Task AttachAsync(RemotePhoneLink link, CancellationToken ct)
    {
        try
        {
            await _connect.ExecuteAsync(async token => await _adb.ConnectAsync(link.Host, link.Port, token).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch (AdbCommandFailedException e)
        {
            throw new AdbCommandFailedException($"adb connect {link.Endpoint}", e.Reason);
        }
        try
        {
            await _online.ExecuteAsync(async token =>
            {
                var device = await _adb.GetDeviceAsync(link.Serial, token).ConfigureAwait(false);
                if (device.State == DeviceState.Unauthorized)
                    throw new DeviceUnauthorizedException(link.Serial, $"{link.Endpoint} is unauthorized: accept this computer's adb key on the phone (or in the farm's settings)");
                if (device.State != DeviceState.Device)
                    throw new DeviceOfflineException(link.Serial, $"{link.Endpoint} is {device.State}");
            }, ct).ConfigureAwait(false);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new DeviceOfflineException(link.Serial, $"connected to {link.Endpoint} but adb never reported it as `device`: {e.Message}");
        }
    }

    private async Task<TunnelMeasurement> MeasureAsync(RemotePhoneLink link, CancellationToken ct)
    {
        var rounds = new List<TimeSpan>(RoundTrips);
        for (var i = 0; i < RoundTrips; i++)
        {
            var started = _time.GetTimestamp();
            await _adb.ShellAsync(link.Serial, "echo", ct).ConfigureAwait(false);
            rounds.Add(_time.GetElapsedTime(started));
        }
        rounds.Sort();
        var payload = new byte[ProbeBytes];
        Random.Shared.NextBytes(payload);
        var pushStarted = _time.GetTimestamp();
        using (var content = new MemoryStream(payload, writable: false))
            await _adb.PushAsync(link.Serial, content, ProbePath, cancellationToken: ct).ConfigureAwait(false);
        var pushTime = _time.GetElapsedTime(pushStarted);
        await _adb.ShellAsync(link.Serial, "rm -f " + ProbePath, ct).ConfigureAwait(false);
        return new TunnelMeasurement(link.Endpoint, rounds[rounds.Count / 2], RoundTrips, ProbeBytes, pushTime);
    }
}
