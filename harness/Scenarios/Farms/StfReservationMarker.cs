using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Scenarios;

/// <summary>
/// results/.sessions/stf/&lt;serial&gt;.json: written before a phone is reserved from STF and deleted once it is released.
/// A marker whose process is gone means a run was killed holding the phone: the next run against the same farm
/// releases it first (<see cref="StfPhoneProvider.ReleaseLeftoversAsync"/>). Never holds the token.
/// </summary>
public sealed record StfReservationMarker
{
    public const string FolderName = "stf";

    public required string Url { get; init; }
    public required string Serial { get; init; }
    public required int ProcessId { get; init; }
    public DateTimeOffset? ProcessStartedUtc { get; init; }
    public required DateTimeOffset ReservedUtc { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string FolderIn(string sessionsDirectory) => Path.Combine(sessionsDirectory, FolderName);

    public static StfReservationMarker ForThisProcess(Uri url, string serial, DateTimeOffset now)
    {
        var (pid, started) = SessionMarker.ThisProcess();
        return new StfReservationMarker { Url = url.AbsoluteUri, Serial = serial, ProcessId = pid, ProcessStartedUtc = started, ReservedUtc = now };
    }

    public bool OwnerIsAlive() => SessionMarker.ProcessIsAlive(ProcessId, ProcessStartedUtc);

    public string PathIn(string sessionsDirectory) => SessionMarker.PathFor(FolderIn(sessionsDirectory), Serial);

    public async Task WriteAsync(string sessionsDirectory, CancellationToken ct)
    {
        var path = PathIn(sessionsDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path + ".tmp", JsonSerializer.SerializeToUtf8Bytes(this, Json), ct).ConfigureAwait(false);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Delete(string sessionsDirectory) => File.Delete(PathIn(sessionsDirectory));

    public static IReadOnlyList<StfReservationMarker> ReadAll(string sessionsDirectory)
    {
        var folder = FolderIn(sessionsDirectory);
        if (!Directory.Exists(folder)) return [];
        var markers = new List<StfReservationMarker>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                if (JsonSerializer.Deserialize<StfReservationMarker>(File.ReadAllBytes(path), Json) is { } marker) markers.Add(marker);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                // Half written by a killed run before the reservation was asked for: nothing to release.
            }
        }
        return markers;
    }
}
