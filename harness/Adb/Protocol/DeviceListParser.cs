namespace Harness.Adb.Protocol;

/// <summary>Parses the bodies of `host:devices` and `host:devices-l` (also what track-devices sends).</summary>
public static class DeviceListParser
{
    public static IReadOnlyList<DeviceData> Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var devices = new List<DeviceData>();
        foreach (var rawLine in body.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            devices.Add(ParseLine(line));
        }
        return devices;
    }

    /// <summary>`serial\tstate` (short form) or `serial   state usb:… product:… model:… device:… transport_id:N` (long form).</summary>
    public static DeviceData ParseLine(string line)
    {
        string serial;
        string rest;
        var tab = line.IndexOf('\t');
        if (tab >= 0)
        {
            serial = line[..tab];
            rest = line[(tab + 1)..];
        }
        else
        {
            var space = line.IndexOf(' ');
            if (space < 0)
                throw new AdbProtocolException($"device line without a state: \"{line}\"");
            serial = line[..space];
            rest = line[space..];
        }
        serial = serial.Trim();
        if (serial.Length == 0)
            throw new AdbProtocolException($"device line without a serial: \"{line}\"");

        var tokens = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
            throw new AdbProtocolException($"device line without a state: \"{line}\"");

        // "no permissions (…); see [http://…]" spans several tokens before the key:value pairs.
        var stateWords = new List<string>();
        var index = 0;
        while (index < tokens.Length && !(stateWords.Count > 0 && IsKeyValue(tokens[index])))
        {
            stateWords.Add(tokens[index]);
            index++;
        }
        var state = ParseState(string.Join(' ', stateWords));

        string? product = null, model = null, device = null, usb = null;
        long? transportId = null;
        for (; index < tokens.Length; index++)
        {
            var colon = tokens[index].IndexOf(':');
            if (colon <= 0) continue;
            var key = tokens[index][..colon];
            var value = tokens[index][(colon + 1)..];
            switch (key)
            {
                case "product": product = value; break;
                case "model": model = value; break;
                case "device": device = value; break;
                case "usb": usb = value; break;
                case "transport_id":
                    transportId = long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                        ? id
                        : throw new AdbProtocolException($"transport_id is not a number in \"{line}\"");
                    break;
            }
        }
        return new DeviceData(serial, state, product, model, device, transportId, usb);
    }

    public static DeviceState ParseState(string state) => state switch
    {
        "device" => DeviceState.Device,
        "offline" => DeviceState.Offline,
        "unauthorized" => DeviceState.Unauthorized,
        "authorizing" => DeviceState.Authorizing,
        "connecting" => DeviceState.Connecting,
        "bootloader" => DeviceState.Bootloader,
        "recovery" => DeviceState.Recovery,
        "sideload" => DeviceState.Sideload,
        "rescue" => DeviceState.Rescue,
        "host" => DeviceState.Host,
        _ when state.StartsWith("no permissions", StringComparison.Ordinal) => DeviceState.NoPermissions,
        _ => DeviceState.Unknown,
    };

    private static bool IsKeyValue(string token) =>
        token.StartsWith("usb:", StringComparison.Ordinal) || token.StartsWith("product:", StringComparison.Ordinal)
        || token.StartsWith("model:", StringComparison.Ordinal) || token.StartsWith("device:", StringComparison.Ordinal)
        || token.StartsWith("transport_id:", StringComparison.Ordinal);
}
