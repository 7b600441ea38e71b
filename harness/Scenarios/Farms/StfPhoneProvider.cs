namespace Harness.Scenarios;

/// <summary>
/// Phones rented from a DeviceFarmer/STF farm for one run: reserve each wanted phone, open its remote adb endpoint
/// (which the run `adb connect`s like any networked phone), and always release: remote connect closed, phone returned.
/// Each reservation is recorded in a <see cref="StfReservationMarker"/> before it is asked for, so a run that is killed
/// holding phones has them released at the next start (<see cref="ReleaseLeftoversAsync"/>). A phone someone else uses
/// (STF answers 403) or that the farm does not know (404) is skipped with a message; a refused token (401) or an
/// unreachable farm stops the run.
/// </summary>
public sealed class StfPhoneProvider(StfSettings settings, string sessionsDirectory, TimeProvider time) : IDisposable
{
    private readonly StfClient _client = new(settings.Url, settings.Token);
    private readonly List<string> _held = [];

    /// <summary>The farm, for messages: "stf http://farm:7100/".</summary>
    public string Name => "stf " + settings.Url.AbsoluteUri;

    /// <summary>Releases what killed runs of this farm left reserved; one line per phone released.</summary>
    public async Task<IReadOnlyList<string>> ReleaseLeftoversAsync(CancellationToken ct)
    {
        var notes = new List<string>();
        foreach (var marker in StfReservationMarker.ReadAll(sessionsDirectory))
        {
            if (marker.Url != settings.Url.AbsoluteUri || marker.OwnerIsAlive()) continue;
            var problem = await ReleaseAsync(marker.Serial, ct).ConfigureAwait(false);
            notes.Add(problem is null
                ? $"{Name}: released {marker.Serial}, left reserved by a killed run (pid {marker.ProcessId}, {marker.ReservedUtc:u})"
                : $"{Name}: could not release {marker.Serial} left by a killed run: {problem}");
        }
        return notes;
    }

    /// <summary>Reserves and remote-connects every wanted phone.</summary>
    /// <exception cref="StfException">The token was refused or the farm could not be reached.</exception>
    public async Task<StfReservations> ReserveAsync(CancellationToken ct)
    {
        var links = new List<RemotePhoneLink>();
        var skipped = new List<string>();
        IReadOnlyList<StfDevice>? farm = null;
        foreach (var wanted in settings.Requests)
        {
            string serial;
            if (wanted.Serial is not null)
            {
                serial = wanted.Serial;
            }
            else
            {
                farm ??= await _client.GetDevicesAsync(ct).ConfigureAwait(false);
                var free = farm.FirstOrDefault(d => d.Available && wanted.Matches(d) && !_held.Contains(d.Serial));
                if (free is null)
                {
                    skipped.Add($"{Name}: no phone matching {wanted.Describe()} is present and free: skipped");
                    continue;
                }
                serial = free.Serial;
            }
            var marker = StfReservationMarker.ForThisProcess(settings.Url, serial, time.GetUtcNow());
            await marker.WriteAsync(sessionsDirectory, ct).ConfigureAwait(false);
            try
            {
                await _client.ReserveAsync(serial, ct).ConfigureAwait(false);
            }
            catch (StfException e) when (e.Status is 403 or 404 or 504)
            {
                marker.Delete(sessionsDirectory);
                skipped.Add($"{Name}: {serial} {(e.Status == 403 ? "is taken" : e.Status == 404 ? "is unknown" : "is not responding")} ({e.Description ?? e.Message}): skipped");
                continue;
            }
            catch
            {
                marker.Delete(sessionsDirectory);
                throw;
            }
            _held.Add(serial);
            string url;
            try
            {
                url = await _client.RemoteConnectAsync(serial, ct).ConfigureAwait(false);
            }
            catch (StfException e) when (e.Status is not 401)
            {
                skipped.Add($"{Name}: {serial} reserved but remote connect failed ({e.Message}): skipped");
                continue;
            }
            if (!RemotePhoneLinkParser.TryEndpoint(url, out var host, out var port))
            {
                skipped.Add($"{Name}: {serial} remote connect URL \"{url}\" is not HOST:PORT: skipped");
                continue;
            }
            links.Add(new RemotePhoneLink(host, port) { Provider = $"{Name} {serial}" });
        }
        return new StfReservations(links, skipped);
    }

    /// <summary>Releases every phone this run holds (also after a failure or Ctrl+C); one line per problem.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAllAsync()
    {
        var problems = new List<string>();
        foreach (var serial in _held.ToList())
        {
            if (await ReleaseAsync(serial, CancellationToken.None).ConfigureAwait(false) is { } problem) problems.Add($"{Name}: could not release {serial}: {problem}");
            _held.Remove(serial);
        }
        return problems;
    }

    /// <summary>Remote connect closed, then the phone returned; the marker goes once STF no longer holds it for us. Null = released.</summary>
    private async Task<string?> ReleaseAsync(string serial, CancellationToken ct)
    {
        try
        {
            try { await _client.RemoteDisconnectAsync(serial, ct).ConfigureAwait(false); }
            catch (StfException e) when (e.Status is 403 or 404) { /* not connected, or no longer ours: the release says which */ }
            await _client.ReleaseAsync(serial, ct).ConfigureAwait(false);
        }
        catch (StfException e) when (e.Status is 403 or 404)
        {
            // Not ours any more (a farm admin took it back, the reservation timed out) or gone: nothing left to release.
        }
        catch (StfException e)
        {
            return e.Message;
        }
        new StfReservationMarker { Url = settings.Url.AbsoluteUri, Serial = serial, ProcessId = 0, ReservedUtc = default }.Delete(sessionsDirectory);
        return null;
    }

    public void Dispose() => _client.Dispose();
}
