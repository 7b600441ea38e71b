using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Scenarios;

/// <summary>
/// results/.sessions/&lt;serial&gt;.json, written before a phone is pointed at a proxy and deleted after it is restored.
/// A marker left behind means a run died midway: <see cref="DeviceSession.RecoverAsync"/> (and `harness doctor`)
/// undo what it names.
/// </summary>
public sealed record SessionMarker
{
    public required string Serial { get; init; }
    public string? AdbEndpoint { get; init; }
    public required int ProxyPort { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required int ProcessId { get; init; }
    public DateTimeOffset? ProcessStartedUtc { get; init; }
    /// <summary>The phone's global http_proxy before the run (a proxy of its own, say), put back on restore and recovery.</summary>
    public string? PreviousHttpProxy { get; init; }

    /// <summary>What restore writes to http_proxy: the previous value, or ":0" (no proxy) when there was none.</summary>
    [JsonIgnore]
    public string HttpProxyToRestore => string.IsNullOrWhiteSpace(PreviousHttpProxy) || PreviousHttpProxy.Trim() is "null" or ":0" ? ":0" : PreviousHttpProxy.Trim();

    [JsonIgnore]
    public string HttpProxyRestoreText => HttpProxyToRestore == ":0" ? "cleared" : $"put back to {HttpProxyToRestore}";
    public bool CaInjected { get; init; }

    /// <summary>The CA file pushed to shared storage for the user-store install (deleted on restore).</summary>
    public string? UserCaFile { get; init; }

    /// <summary>
    /// The common name under which Trusted credentials lists our CA, set before Settings is driven to install it: from
    /// then on the user store may hold it until restore removes it through Settings again.
    /// </summary>
    public string? UserCaName { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>
    /// The iptables/ip6tables chain that drops the browsers' UDP 443 (<see cref="QuicBlock.Chain"/>), written before
    /// the first rule goes in; restore and recovery remove the chain and its jump from OUTPUT.
    /// </summary>
    public string? QuicBlockChain { get; init; }

    /// <summary>The uids whose UDP 443 the chain drops.</summary>
    public IReadOnlyList<int> QuicBlockedUids { get; init; } = [];

    /// <summary>Global settings <see cref="PhoneReadiness"/> changed (screen, animations, Private DNS), as found (null when it has not run).</summary>
    public IReadOnlyDictionary<string, string>? ScreenSettings { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string PathFor(string directory, string serial) =>
        Path.Combine(directory, string.Concat(serial.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + ".json");

    public static SessionMarker ForThisProcess(string serial, string? adbEndpoint, int proxyPort, string? previousHttpProxy, DateTimeOffset now)
    {
        var (pid, started) = ThisProcess();
        return new SessionMarker
        {
            Serial = serial,
            AdbEndpoint = adbEndpoint,
            ProxyPort = proxyPort,
            StartedUtc = now,
            ProcessId = pid,
            ProcessStartedUtc = started,
            PreviousHttpProxy = previousHttpProxy,
        };
    }

    /// <summary>This process's id and start time: what a marker records so the next run can tell whether its writer lives.</summary>
    public static (int ProcessId, DateTimeOffset Started) ThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return (self.Id, new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero));
    }

    /// <summary>True when the process that wrote the marker is still running (same pid and start time): its run is alive.</summary>
    public bool OwnerIsAlive() => ProcessIsAlive(ProcessId, ProcessStartedUtc);

    /// <summary>True when process <paramref name="processId"/> runs and started at <paramref name="startedUtc"/> (a reused pid is another process).</summary>
    public static bool ProcessIsAlive(int processId, DateTimeOffset? startedUtc)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited) return false;
            var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            return startedUtc is { } recorded && Math.Abs((started - recorded).TotalSeconds) < 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public async Task WriteAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = PathFor(directory, Serial);
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(this, Json), ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    public static SessionMarker? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SessionMarker>(File.ReadAllBytes(path), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static IReadOnlyList<(string Path, SessionMarker? Marker)> ReadAll(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(p => (p, TryRead(p))).ToList()
            : [];
}
