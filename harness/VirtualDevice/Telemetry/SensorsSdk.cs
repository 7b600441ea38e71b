using System.Text;
using System.Text.Json.Nodes;
using Harness.VirtualDevice.Network;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// The Sensors Analytics Android SDK as the 2020 browsers embedded it: events are buffered, flushed every
/// 15 s (× time factor) or as soon as 100 are waiting, at most 50 per POST; a sign-up flushes at once; a failed
/// POST keeps its events for the next flush. <c>distinct_id</c> is the anonymous uuid until <see cref="Login"/>.
/// </summary>
public sealed class SensorsSdk : IAsyncDisposable
{
    private readonly PhoneHttpClient _http;
    private readonly SensorsSdkOptions _options;
    private readonly SensorsDeviceProperties _device;
    private readonly SensorsEncoder _encoder;
    private readonly Random _random;
    private readonly List<SensorsEvent> _pending = [];
    private readonly List<KeyValuePair<string, JsonNode?>> _superProperties = [];
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _flushRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _flushLoop;
    private string? _loginId;

    public SensorsSdk(PhoneHttpClient http, SensorsSdkOptions options, SensorsDeviceProperties device, string anonymousId)
    {
        _http = http;
        _options = options;
        _device = device;
        AnonymousId = anonymousId;
        _encoder = new SensorsEncoder(options.Encoder);
        _random = options.Random ?? new Random();
    }

    /// <summary>The persistent anonymous id (the app's "uuid").</summary>
    public string AnonymousId { get; }

    public string? LoginId
    {
        get
        {
            lock (_pending)
            {
                return _loginId;
            }
        }
    }

    /// <summary>The Mi Account id once signed in, the anonymous id before.</summary>
    public string DistinctId => LoginId ?? AnonymousId;

    public int PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Why the last upload failed, or null when it succeeded.</summary>
    public Exception? LastFlushError { get; private set; }

    /// <summary>Number of successful POSTs so far.</summary>
    public int SuccessfulPosts { get; private set; }

    public IReadOnlyList<SensorsEvent> PendingEvents()
    {
        lock (_pending)
        {
            return _pending.ToList();
        }
    }

    /// <summary>Adds or replaces super properties (sent on every later event, in registration order).</summary>
    public void RegisterSuperProperties(IEnumerable<KeyValuePair<string, JsonNode?>> properties)
    {
        lock (_pending)
        {
            foreach (var (name, value) in properties)
            {
                var index = _superProperties.FindIndex(p => p.Key == name);
                if (index >= 0)
                {
                    _superProperties[index] = new(name, value);
                }
                else
                {
                    _superProperties.Add(new(name, value));
                }
            }
        }
    }

    /// <summary>Starts the periodic flush.</summary>
    public void Start()
    {
        if (_flushLoop is not null)
        {
            throw new InvalidOperationException("the SDK is already started");
        }

        _flushLoop = FlushLoopAsync(_stopping.Token);
    }

    public SensorsEvent Track(string eventName, JsonObject? properties = null) =>
        Enqueue(SensorsEventType.Track, eventName, properties, originalId: null);

    /// <summary>Sets the profile properties of the current user.</summary>
    public SensorsEvent ProfileSet(JsonObject properties) =>
        Enqueue(SensorsEventType.ProfileSet, null, properties, originalId: null);

    /// <summary>Mi Account sign-in: distinct_id becomes <paramref name="loginId"/>, a track_signup is sent at once.</summary>
    public SensorsEvent Login(string loginId, string signUpEvent = "$SignUp")
    {
        lock (_pending)
        {
            _loginId = loginId;
        }

        var signup = Enqueue(SensorsEventType.TrackSignup, signUpEvent, null, AnonymousId);
        RequestFlush();
        return signup;
    }

    /// <summary>
    /// Events a previous process left in the SDK's database: they go out first, with the next flush (the SDK writes
    /// every event to SQLite before sending, so killing the app does not lose them).
    /// </summary>
    public void Restore(IEnumerable<SensorsEvent> events)
    {
        lock (_pending)
        {
            _pending.InsertRange(0, events);
        }
    }

    /// <summary>A user who signed in during an earlier session: distinct_id is the login id again, no new sign-up event.</summary>
    public void RestoreLogin(string loginId)
    {
        lock (_pending)
        {
            _loginId = loginId;
        }
    }

    public void Logout()
    {
        lock (_pending)
        {
            _loginId = null;
        }
    }

    /// <summary>Uploads everything buffered, up to <see cref="SensorsSdkOptions.MaxEventsPerPost"/> per POST. Returns events sent.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sent = 0;
            while (true)
            {
                SensorsEvent[] batch;
                lock (_pending)
                {
                    batch = _pending.Take(_options.MaxEventsPerPost).ToArray();
                }

                if (batch.Length == 0)
                {
                    return sent;
                }

                var flushTime = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                var payload = _encoder.Encode(new JsonArray(batch.Select(e => (JsonNode)e.ToJson(flushTime)).ToArray()));
                var request = _options.CurrentNetwork.ApplyTo(new PhoneHttpRequest("POST", _options.UploadUrl)
                {
                    Headers =
                    [
                        new("Content-Type", "application/x-www-form-urlencoded"),
                        new("User-Agent", _options.UserAgent),
                        new("Connection", "Keep-Alive"),
                        new("Accept-Encoding", "gzip"),
                    ],
                    Body = Encoding.ASCII.GetBytes(payload.FormBody),
                });
                try
                {
                    var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccess)
                    {
                        LastFlushError = new IOException($"Sensors upload answered {response.StatusCode} {response.ReasonPhrase}");
                        return sent;
                    }
                }
                catch (PhoneNetworkException e)
                {
                    // Like the SDK: keep the events in the database and retry on the next flush.
                    LastFlushError = e;
                    return sent;
                }

                lock (_pending)
                {
                    foreach (var uploaded in batch)
                    {
                        _pending.Remove(uploaded);
                    }
                }

                LastFlushError = null;
                SuccessfulPosts++;
                sent += batch.Length;
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>GET …/config/Android.conf; null when the server cannot be reached.</summary>
    public async Task<JsonNode?> FetchRemoteConfigAsync(CancellationToken cancellationToken)
    {
        var request = _options.CurrentNetwork.ApplyTo(new PhoneHttpRequest("GET", _options.ConfigUrl)
        {
            Headers = [new("User-Agent", _options.UserAgent), new("Accept-Encoding", "gzip")],
        });
        try
        {
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccess ? JsonNode.Parse(response.BodyText) : null;
        }
        catch (Exception e) when (e is PhoneNetworkException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_flushLoop is not null)
        {
            await _flushLoop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _flushGate.Dispose();
    }

    private SensorsEvent Enqueue(string type, string? eventName, JsonObject? eventProperties, string? originalId)
    {
        var properties = new JsonObject
        {
            ["$os"] = _device.Os,
            ["$os_version"] = _device.OsVersion,
            ["$manufacturer"] = _device.Manufacturer,
            ["$model"] = _device.Model,
            ["$app_version"] = _device.AppVersion,
            ["$screen_width"] = _device.ScreenWidth,
            ["$screen_height"] = _device.ScreenHeight,
            ["$carrier"] = _device.Carrier,
            ["$device_id"] = _device.DeviceId,
            ["$wifi"] = _device.Wifi,
            ["$network_type"] = _device.NetworkType,
        };
        SensorsEvent trackedEvent;
        bool bulkReached;
        lock (_pending)
        {
            foreach (var (name, value) in _superProperties)
            {
                properties[name] = value?.DeepClone();
            }

            foreach (var (name, value) in eventProperties ?? [])
            {
                properties[name] = value?.DeepClone();
            }

            trackedEvent = new SensorsEvent(
                _random.Next(int.MinValue, int.MaxValue),
                _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                type,
                _loginId ?? AnonymousId,
                new SensorsLib(_options.LibVersion, _device.AppVersion),
                eventName,
                properties,
                originalId);
            _pending.Add(trackedEvent);
            bulkReached = _pending.Count >= _options.FlushBulkSize;
        }

        if (bulkReached)
        {
            RequestFlush();
        }

        return trackedEvent;
    }

    private void RequestFlush()
    {
        lock (_pending)
        {
            _flushRequested.TrySetResult();
        }
    }

    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.EffectiveFlushInterval, _options.TimeProvider);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task requested;
                lock (_pending)
                {
                    requested = _flushRequested.Task;
                }

                var woke = await Task.WhenAny(tick, requested).ConfigureAwait(false);
                if (woke == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }

                    tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                }

                if (requested.IsCompleted)
                {
                    lock (_pending)
                    {
                        _flushRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }

                try
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A background flush never takes the app down; the events stay for the next one.
                    LastFlushError = e;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
