namespace Harness.Scenarios;

/// <summary>
/// How our adb server reaches a phone that is not on its USB: `adb connect HOST:PORT` (a phone with wireless
/// debugging, a remote host's tunnel, a device farm's remote-connect URL), after `adb pair PAIR-HOST:PAIR-PORT CODE`
/// when a pairing code is given (Android 11+ wireless debugging pairs on its own port). The adb serial of such a
/// phone is HOST:PORT.
/// </summary>
public sealed record RemotePhoneLink(string Host, int Port)
{
    /// <summary>Where `adb pair` goes (the phone's pairing port); null = no pairing.</summary>
    public string? PairEndpoint { get; init; }

    /// <summary>The pairing code (read from an environment variable, never from the rack file).</summary>
    public string? PairingCode { get; init; }

    /// <summary>What handed the phone out (e.g. "stf https://farm.example serial R58M…"), for messages; null = the rack file.</summary>
    public string? Provider { get; init; }

    public string Endpoint => Host.Contains(':') && !Host.StartsWith('[') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public string Serial => Endpoint;
}
