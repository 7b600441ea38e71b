using System.Globalization;
using Polly;

namespace Harness.Adb;

/// <summary>Where the adb server is, how long calls may take, and how transient failures are retried.</summary>
public sealed class AdbClientOptions
{
    public const int DefaultPort = 5037;

    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = DefaultPort;

    /// <summary>TCP connect to the adb server.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default bound of one request (host service, shell command) including its output.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound of push, pull and install, which move whole files.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When nothing listens on <see cref="Port"/>, run `adb -P PORT start-server` once and try again.</summary>
    public bool StartServerIfMissing { get; init; }

    /// <summary>The adb executable used by <see cref="StartServerIfMissing"/>.</summary>
    public string AdbPath { get; init; } = "adb";

    /// <summary>Retries after the first attempt for transient failures (device offline for a moment, server restarting). 0 disables retries.</summary>
    public int MaxRetryAttempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public DelayBackoffType RetryBackoff { get; init; } = DelayBackoffType.Exponential;

    public bool RetryUseJitter { get; init; }

    /// <summary>Parses `HOST:PORT`, `PORT` or `HOST` (default port) as the CLI's --adb accepts it.</summary>
    public static AdbClientOptions ForEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint)) return new AdbClientOptions();
        var text = endpoint.Trim();
        var colon = text.LastIndexOf(':');
        string host = colon < 0 ? text : text[..colon];
        var portText = colon < 0 ? null : text[(colon + 1)..];
        if (colon < 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var onlyPort))
            return new AdbClientOptions { Port = CheckPort(onlyPort, endpoint) };
        if (host.Length == 0) host = "127.0.0.1";
        var port = DefaultPort;
        if (portText is not null && !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
            throw new FormatException($"adb endpoint must be HOST:PORT, got \"{endpoint}\"");
        return new AdbClientOptions { Host = host, Port = CheckPort(port, endpoint) };
    }

    private static int CheckPort(int port, string endpoint) =>
        port is > 0 and <= 65535 ? port : throw new FormatException($"adb port must be 1-65535 in \"{endpoint}\"");
}
