using System.Text.Json;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// Reads a devices entry's <c>"connect": "HOST:PORT"</c> and <c>"pair": {"address": "HOST:PORT", "code-env": "VAR"}</c>
/// into a <see cref="RemotePhoneLink"/>. The pairing code comes from the environment: a code in the rack file is refused.
/// </summary>
public static class RemotePhoneLinkParser
{
    public static RemotePhoneLink? Parse(JsonElement device, string file, string field, Func<string, string?> environment)
    {
        if (!device.TryGetProperty("connect", out var connect))
        {
            if (device.TryGetProperty("pair", out _))
                throw new BadInputException("\"pair\" needs \"connect\": \"HOST:PORT\" (where the phone listens once paired)", file, null, null, field + ".pair");
            return null;
        }
        if (connect.ValueKind != JsonValueKind.String || !TryEndpoint(connect.GetString(), out var host, out var port))
            throw new BadInputException("expected \"HOST:PORT\" where the phone (wireless debugging, a remote host's tunnel) accepts `adb connect`, e.g. \"192.168.1.20:5555\"",
                file, null, null, field + ".connect");
        var link = new RemotePhoneLink(host, port);
        if (!device.TryGetProperty("pair", out var pair)) return link;
        if (pair.ValueKind != JsonValueKind.Object)
            throw new BadInputException("expected {\"address\": \"HOST:PAIRING-PORT\", \"code-env\": \"PAIRING_CODE_VARIABLE\"}", file, null, null, field + ".pair");
        if (pair.TryGetProperty("code", out _))
            throw new BadInputException("a pairing code does not belong in the rack file: name an environment variable with \"code-env\"", file, null, null, field + ".pair.code");
        var address = link.Endpoint;
        if (pair.TryGetProperty("address", out var addressElement))
        {
            if (addressElement.ValueKind != JsonValueKind.String || !TryEndpoint(addressElement.GetString(), out _, out _))
                throw new BadInputException("expected \"HOST:PORT\" of the phone's pairing service (Wireless debugging → Pair device with pairing code)", file, null, null, field + ".pair.address");
            address = addressElement.GetString()!.Trim();
        }
        if (!pair.TryGetProperty("code-env", out var variable) || variable.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(variable.GetString()))
            throw new BadInputException("expected the name of the environment variable holding the six-digit pairing code, e.g. \"PHONE_PAIRING_CODE\"", file, null, null, field + ".pair.code-env");
        var code = environment(variable.GetString()!);
        if (string.IsNullOrWhiteSpace(code))
            throw new BadInputException($"environment variable {variable.GetString()} is not set", file, null, null, field + ".pair.code-env");
        return link with { PairEndpoint = address, PairingCode = code.Trim() };
    }

    /// <summary>HOST:PORT with a port 1–65535 (HOST may be [IPv6]).</summary>
    public static bool TryEndpoint(string? text, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            return false;
        host = text[..colon].Trim('[', ']');
        return host.Length > 0 && !host.Contains(' ');
    }
}
