using System.Text.Json;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// devices.json: <c>{"adb":"HOST:PORT","devices":[{"serial":"…","virtual":{…}}]}</c>. Errors are
/// <see cref="BadInputException"/>s naming the file, line, column and field.
/// </summary>
public sealed record RackFile(string? AdbEndpoint, IReadOnlyList<RackDevice> Devices, string SourceFile)
{
    /// <summary>The run-wide settings of the rack (upstream, accounts, destinations; see <see cref="RackSettingsParser"/>).</summary>
    public RackSettings Settings { get; init; } = RackSettings.Default;

    /// <summary>Phones rented from a DeviceFarmer/STF farm ("provider" and devices entries with "stf"); null = none.</summary>
    public StfSettings? Stf { get; init; }

    public static RackFile Load(string path) => Load(path, Environment.GetEnvironmentVariable);

    /// <param name="environment">Reads an environment variable (null when unset): accounts are named by variable.</param>
    public static RackFile Load(string path, Func<string, string?> environment)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the rack file: {e.Message}", path, inner: e);
        }
        return Parse(bytes, path, environment);
    }

    public static RackFile Parse(byte[] json, string file) => Parse(json, file, Environment.GetEnvironmentVariable);

    public static RackFile Parse(byte[] json, string file, Func<string, string?> environment)
    {
        TextPosition.RequireUtf8(json, file, "devices.json");
        try
        {
            return ParseDocument(json, file, environment);
        }
        catch (BadInputException e) when (e.Line is null && e.Field is not null && JsonValueLocator.Find(json, e.Field) is { } at)
        {
            // Shape errors are found on the parsed document; the user still needs the line to fix.
            throw new BadInputException(e.Message, e.File, at.Line, at.Column, e.Field, e.InnerException);
        }
    }

    private static RackFile ParseDocument(byte[] json, string file, Func<string, string?> environment)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BadInputException($"not valid JSON: {e.Message}", file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "(json)", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new BadInputException("expected an object {\"adb\":\"127.0.0.1:5037\",\"devices\":[{\"serial\":\"…\"}]}", file, 1, 1, "(root)");
            string? adb = null;
            if (root.TryGetProperty("adb", out var adbElement))
            {
                if (adbElement.ValueKind != JsonValueKind.String || !RemotePhoneLinkParser.TryEndpoint(adbElement.GetString(), out _, out _))
                    throw new BadInputException("expected \"HOST:PORT\" of the adb server, e.g. \"127.0.0.1:5037\"", file, null, null, "adb");
                adb = adbElement.GetString();
                AdbServerLocation.RequireThisHost(adb!, file, "adb");
            }
            if (!root.TryGetProperty("devices", out var devicesElement) || devicesElement.ValueKind != JsonValueKind.Array)
                throw new BadInputException("expected a list of phones: \"devices\": [{\"serial\":\"R58M123ABC\"}]", file, null, null, "devices");
            var devices = new List<RackDevice>();
            var farmRequests = new List<StfDeviceRequest>();
            var index = 0;
            foreach (var item in devicesElement.EnumerateArray())
            {
                var field = $"devices[{index}]";
                if (item.ValueKind != JsonValueKind.Object)
                    throw new BadInputException("expected an object {\"serial\":\"…\"}", file, null, null, field);
                if (StfSettingsParser.ParseRequest(item, file, field) is { } farmRequest)
                {
                    farmRequests.Add(farmRequest);
                    index++;
                    continue;
                }
                var link = RemotePhoneLinkParser.Parse(item, file, field, environment);
                string value;
                if (item.TryGetProperty("serial", out var serial))
                {
                    if (serial.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(serial.GetString()))
                        throw new BadInputException("each phone needs its adb serial, e.g. \"serial\": \"R58M123ABC\" or \"192.168.1.20:5555\"", file, null, null, field + ".serial");
                    value = serial.GetString()!.Trim();
                    // adb names a phone it reached with `adb connect` by that address: any other serial would never be found.
                    if (link is not null && value != link.Serial)
                        throw new BadInputException($"a phone reached with \"connect\" is named \"{link.Serial}\" by adb: leave \"serial\" out or write that", file, null, null, field + ".serial");
                }
                else
                {
                    value = link?.Serial ?? throw new BadInputException("each phone needs its adb serial, e.g. \"serial\": \"R58M123ABC\" or \"192.168.1.20:5555\", or \"connect\": \"HOST:PORT\"", file, null, null, field + ".serial");
                }
                if (devices.Any(d => d.Serial == value))
                    throw new BadInputException($"serial \"{value}\" is listed twice", file, null, null, field + ".serial");
                devices.Add(new RackDevice(value, item.TryGetProperty("virtual", out var v) && v.ValueKind == JsonValueKind.Object) { Link = link });
                index++;
            }
            if (devices.Count == 0 && farmRequests.Count == 0)
                throw new BadInputException("no phones listed: add at least one {\"serial\":\"…\"}", file, null, null, "devices");
            return new RackFile(adb, devices, file)
            {
                Settings = RackSettingsParser.Parse(root, file, environment),
                Stf = StfSettingsParser.Parse(root, file, farmRequests, environment),
            };
        }
    }
}
