using System.Text.Json;
using Harness.Core;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Rack;

/// <summary>
/// Reads the virtual phones out of devices.json (entries with a "virtual" object; real phones are left to the
/// harness). No I/O: the caller passes the text and the file name used in error messages.
/// </summary>
public static class VirtualRackFile
{
    public static IReadOnlyList<VirtualPhoneSpec> Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BadInputException($"not valid JSON: {e.Message}", file, (int?)(e.LineNumber + 1), (int?)(e.BytePositionInLine + 1), inner: e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
                throw new BadInputException("expected an object with a \"devices\" array", file, field: "devices");
            var specs = new List<VirtualPhoneSpec>();
            var index = 0;
            foreach (var device in devices.EnumerateArray())
            {
                var path = $"devices[{index++}]";
                if (device.ValueKind != JsonValueKind.Object) throw new BadInputException("expected an object", file, field: path);
                if (!device.TryGetProperty("virtual", out var v)) continue;
                if (v.ValueKind != JsonValueKind.Object) throw new BadInputException("expected an object", file, field: path + ".virtual");
                specs.Add(ParsePhone(v, file, path + ".virtual"));
            }
            var duplicate = specs.Where(s => s.Port != 0).GroupBy(s => s.Port).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new BadInputException($"port {duplicate.Key} is used by more than one virtual phone", file, field: "devices[].virtual.port");
            return specs;
        }
    }

    private static VirtualPhoneSpec ParsePhone(JsonElement v, string file, string path)
    {
        var model = String(v, "model", file, path) ?? throw new BadInputException("required", file, field: path + ".model");
        if (PhoneProfile.FindBuiltIn(model) == null)
            throw new BadInputException($"unknown model '{model}'; known: {string.Join(", ", PhoneProfile.BuiltIn.Select(p => p.DisplayName))}", file, field: path + ".model");
        var port = 0;
        if (v.TryGetProperty("port", out var p) && (p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out port) || port is < 0 or > 65535))
            throw new BadInputException("expected a port number 0-65535", file, field: path + ".port");
        bool? rooted = null;
        if (v.TryGetProperty("rooted", out var r))
        {
            if (r.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw new BadInputException("expected true or false", file, field: path + ".rooted");
            rooted = r.GetBoolean();
        }
        var locale = String(v, "locale", file, path);
        if (locale != null && !System.Text.RegularExpressions.Regex.IsMatch(locale, "^[a-z]{2}-[A-Z]{2}$"))
            throw new BadInputException($"'{locale}' is not a locale like en-US", file, field: path + ".locale");
        var timeFactor = 1.0;
        if (v.TryGetProperty("timeFactor", out var t) && (t.ValueKind != JsonValueKind.Number || !t.TryGetDouble(out timeFactor) || timeFactor <= 0 || timeFactor > 100))
            throw new BadInputException("expected a number above 0 (1 = real time)", file, field: path + ".timeFactor");
        var apps = new List<BrowserVersion>();
        if (v.TryGetProperty("apps", out var a))
        {
            if (a.ValueKind != JsonValueKind.Array) throw new BadInputException("expected an array such as [\"mint@3.4.0\"]", file, field: path + ".apps");
            var i = 0;
            foreach (var app in a.EnumerateArray())
            {
                var field = $"{path}.apps[{i++}]";
                var name = app.ValueKind == JsonValueKind.String ? app.GetString()! : throw new BadInputException("expected a string", file, field: field);
                apps.Add(BrowserCatalog.Find(name) ?? throw new BadInputException(
                    $"unknown browser version '{name}'; shipped: {string.Join(", ", BrowserCatalog.Versions.Select(x => x.Name))}", file, field: field));
            }
            var twice = apps.GroupBy(x => x.Flavor.Package).FirstOrDefault(g => g.Count() > 1);
            if (twice != null) throw new BadInputException($"{twice.Key} is listed more than once (a phone has one version of a package)", file, field: path + ".apps");
        }
        return new VirtualPhoneSpec(model, port, rooted, locale, apps, timeFactor);
    }

    private static string? String(JsonElement v, string name, string file, string path)
    {
        if (!v.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BadInputException("expected a string", file, field: $"{path}.{name}");
    }
}
