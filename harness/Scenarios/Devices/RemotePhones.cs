using System.Collections.Concurrent;
using Harness.Adb;

namespace Harness.Scenarios;

/// <summary>
/// The phones of one run that our adb server reaches over the network (devices entries with "connect", phones a
/// device farm handed out): attached before anything else touches them (recovery of a killed run included), reconnected
/// before a case when they dropped, detached after the run. A phone that could not be attached keeps its reason, and the
/// run reports it as a phone that could not be prepared.
/// </summary>
public sealed class RemotePhones
{
    private readonly RemotePhoneConnector _connector;
    private readonly IReadOnlyDictionary<string, RemotePhoneLink> _links;
    private readonly ConcurrentDictionary<string, TunnelMeasurement> _measured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _failed = new(StringComparer.Ordinal);

    public RemotePhones(RemotePhoneConnector connector, IEnumerable<RemotePhoneLink> links)
    {
        _connector = connector;
        _links = links.ToDictionary(l => l.Serial, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<RemotePhoneLink> Links => _links.Values.ToList();

    /// <summary>Attaches every phone, in parallel; one that cannot be attached is remembered, not thrown.</summary>
    public Task ConnectAllAsync(CancellationToken ct) =>
        Task.WhenAll(_links.Values.Select(async link =>
        {
            try
            {
                _measured[link.Serial] = await _connector.ConnectAsync(link, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AdbException or IOException or TimeoutException)
            {
                _failed[link.Serial] = $"{(link.Provider is null ? "" : link.Provider + ": ")}could not attach over adb connect {link.Endpoint}: {e.Message}";
            }
        }));

    /// <summary>Why the phone could not be attached (null when it was, or is not a remote phone).</summary>
    public string? FailureOf(string serial) => _failed.GetValueOrDefault(serial);

    /// <summary>The tunnel as measured at connect time (null for a phone on USB).</summary>
    public TunnelMeasurement? MeasurementOf(string serial) => _measured.GetValueOrDefault(serial);

    /// <summary>
    /// Before a case: a remote phone adb lost is reconnected (its reverse tunnel is re-created by the case's routing
    /// check). Returns what was done, or null. A phone that stays gone throws, and the case ends inconclusive.
    /// </summary>
    public async Task<string?> EnsureConnectedAsync(string serial, CancellationToken ct)
    {
        if (!_links.TryGetValue(serial, out var link)) return null;
        return await _connector.EnsureConnectedAsync(link, ct).ConfigureAwait(false) ? $"reconnected over adb connect {link.Endpoint}" : null;
    }

    /// <summary>Detaches one phone (after its restore).</summary>
    public Task DisconnectAsync(string serial, CancellationToken ct) =>
        _links.TryGetValue(serial, out var link) ? _connector.DisconnectAsync(link, ct) : Task.CompletedTask;
}
