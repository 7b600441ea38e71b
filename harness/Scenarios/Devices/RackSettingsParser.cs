using System.Text.Json;
using Harness.Core;
using Harness.Proxy;

namespace Harness.Scenarios;

/// <summary>
/// Reads the run-wide parts of devices.json into <see cref="RackSettings"/>:
/// <c>"upstream": {"mode": "forward"|"sinkhole", "connect-to": ["HOST[:PORT]=ADDRESS:PORT"], "ca": "lab-ca.pem"}</c>,
/// <c>"account": {"id-env": "MI_ACCOUNT_ID", "password-env": "MI_ACCOUNT_PASSWORD"}</c> or <c>{"file": "~/.harness/mi-account.json"}</c>
/// for the rack or per phone, and
/// <c>"destinations": {"intended": ["example.org"], "vendors": ["example-vendor.com"]}</c>. Every problem (unknown mode,
/// malformed rule, missing CA file, unset variable) is a <see cref="BadInputException"/> naming the field, found before
/// any phone is touched.
/// </summary>
public static class RackSettingsParser
{
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    public static RackSettings Parse(JsonElement root, string file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = RackSettings.Default;
        if (root.TryGetProperty("upstream", out var upstream)) settings = ParseUpstream(upstream, file, "upstream", settings);
        if (root.TryGetProperty("account", out var account)) settings = settings with { Account = ParseAccount(account, file, "account", environment) };
        if (root.TryGetProperty("destinations", out var destinations))
        {
            if (destinations.ValueKind != JsonValueKind.Object)
                throw Bad(file, "destinations", "expected {\"intended\": [\"example.org\"], \"vendors\": [\"example-vendor.com\"]}");
            settings = settings with
            {
                IntendedHosts = HostList(destinations, "intended", file),
                VendorDomains = HostList(destinations, "vendors", file),
            };
        }
        var phoneAccounts = new Dictionary<string, MiAccount>(StringComparer.Ordinal);
        if (root.TryGetProperty("devices", out var devices) && devices.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var device in devices.EnumerateArray())
            {
                if (device.ValueKind == JsonValueKind.Object && device.TryGetProperty("account", out var own) &&
                    device.TryGetProperty("serial", out var serial) && serial.ValueKind == JsonValueKind.String)
                    phoneAccounts[serial.GetString()!.Trim()] = ParseAccount(own, file, $"devices[{index}].account", environment);
                index++;
            }
        }
        return settings with { PhoneAccounts = phoneAccounts };
    }

    /// <summary>
    /// Adds an upstream file (the shape of the rack file's "upstream" section, e.g. what a virtual rack publishes beside
    /// its ready file) to <paramref name="onto"/>: its connect-to rules after the rack's own, its CA beside the rack's.
    /// </summary>
    public static RackSettings AddUpstreamFile(RackSettings onto, string path)
    {
        ArgumentNullException.ThrowIfNull(onto);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInputException($"cannot read the upstream file: {e.Message}", path, inner: e); }
        TextPosition.RequireUtf8(bytes, path, "upstream");
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var added = ParseUpstream(document.RootElement, path, "$", RackSettings.Default with { Upstream = onto.Upstream });
            return onto with { ConnectTo = [.. onto.ConnectTo, .. added.ConnectTo], ExtraCaFiles = [.. onto.ExtraCaFiles, .. added.ExtraCaFiles] };
        }
        catch (JsonException e)
        {
            throw new BadInputException($"not valid JSON: {e.Message}", path, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "(json)", e);
        }
        catch (BadInputException e) when (e.Line is null && e.Field is not null && JsonValueLocator.Find(bytes, e.Field) is { } at)
        {
            throw new BadInputException(e.Message, e.File, at.Line, at.Column, e.Field, e.InnerException);
        }
    }

    private static RackSettings ParseUpstream(JsonElement upstream, string file, string field, RackSettings settings)
    {
        string Field(string name) => field == "$" ? name : field + "." + name;
        if (upstream.ValueKind != JsonValueKind.Object)
            throw Bad(file, field, "expected {\"mode\": \"forward\", \"connect-to\": [\"HOST[:PORT]=ADDRESS:PORT\"], \"ca\": \"lab-ca.pem\"}");
        if (upstream.TryGetProperty("mode", out var mode))
        {
            settings = settings with
            {
                Upstream = (mode.ValueKind == JsonValueKind.String ? mode.GetString() : null) switch
                {
                    "forward" => UpstreamMode.Forward,
                    "sinkhole" => UpstreamMode.Sinkhole,
                    var other => throw Bad(file, Field("mode"), $"{(other is null ? mode.GetRawText() : "\"" + other + "\"")} is not an upstream mode: use \"forward\" (real origins, the default) or \"sinkhole\" (the proxy answers, nothing leaves)"),
                },
            };
        }
        if (upstream.TryGetProperty("connect-to", out var rules))
        {
            if (rules.ValueKind != JsonValueKind.Array) throw Bad(file, Field("connect-to"), "expected a list: [\"" + ConnectToRule.Syntax.Split(", e.g. ")[0] + "\"]");
            var parsed = new List<ConnectToRule>();
            var index = 0;
            foreach (var text in rules.EnumerateArray())
            {
                var ruleField = $"{Field("connect-to")}[{index++}]";
                if (text.ValueKind != JsonValueKind.String) throw Bad(file, ruleField, $"expected a string {ConnectToRule.Syntax}");
                if (!ConnectToRule.TryParse(text.GetString(), out var rule, out var error)) throw Bad(file, ruleField, error);
                parsed.Add(rule!);
            }
            settings = settings with { ConnectTo = parsed };
        }
        if (upstream.TryGetProperty("ca", out var ca))
        {
            if (ca.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(ca.GetString()))
                throw Bad(file, Field("ca"), "expected the path of a PEM file with the lab's CA certificate(s)");
            var path = ResolvePath(ca.GetString()!, file, Field("ca"));
            try
            {
                UpstreamTrust.LoadRoots(path);
            }
            catch (FileNotFoundException)
            {
                throw Bad(file, Field("ca"), $"{path}: file not found");
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw Bad(file, Field("ca"), $"{path}: not a readable PEM or DER certificate: {e.Message}");
            }
            settings = settings with { ExtraCaFiles = [path] };
        }
        return settings;
    }

    private static MiAccount ParseAccount(JsonElement account, string file, string field, Func<string, string?> environment)
    {
        if (account.ValueKind != JsonValueKind.Object)
            throw Bad(file, field, "expected {\"id-env\": \"MI_ACCOUNT_ID\", \"password-env\": \"MI_ACCOUNT_PASSWORD\"} (the account is read from the environment, never from this file)");
        if (account.TryGetProperty("password", out _))
            throw Bad(file, field + ".password", "a password does not belong in the rack file: name an environment variable with \"password-env\" or a secrets file with \"file\"");
        if (account.TryGetProperty("file", out var secrets)) return ReadAccountFile(secrets, file, field + ".file");
        string Read(string name)
        {
            if (!account.TryGetProperty(name, out var variable) || variable.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(variable.GetString()))
                throw Bad(file, $"{field}.{name}", "expected the name of an environment variable, e.g. \"" + (name == "id-env" ? "MI_ACCOUNT_ID" : "MI_ACCOUNT_PASSWORD") + "\"");
            var value = environment(variable.GetString()!);
            if (string.IsNullOrEmpty(value))
                throw Bad(file, $"{field}.{name}", $"environment variable {variable.GetString()} is not set");
            return value;
        }
        var idVariable = account.TryGetProperty("id-env", out var idName) ? idName.GetString() : null;
        return new MiAccount(Read("id-env"), Read("password-env"), "environment " + idVariable);
    }

    /// <summary>A secrets file <c>{"id": "…", "password": "…"}</c> (outside the repository for a real account; "~/" is the home folder).</summary>
    private static MiAccount ReadAccountFile(JsonElement pathElement, string file, string field)
    {
        if (pathElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(pathElement.GetString()))
            throw Bad(file, field, "expected the path of a JSON file {\"id\": \"…\", \"password\": \"…\"}, e.g. \"~/.harness/mi-account.json\"");
        var text = pathElement.GetString()!;
        if (text.StartsWith("~/", StringComparison.Ordinal)) text = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), text[2..]);
        var path = ResolvePath(text, file, field);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Bad(file, field, $"{path}: {e.Message}"); }
        TextPosition.RequireUtf8(bytes, path, "account");
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            string Read(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } value
                ? value
                : throw new BadInputException($"expected {{\"id\": \"…\", \"password\": \"…\"}}: \"{name}\" is missing", path, 1, 1, name);
            return new MiAccount(Read("id"), Read("password"), "file " + path);
        }
        catch (JsonException e)
        {
            // The message of a JSON error may quote the text it stopped at: never echo a secrets file.
            throw new BadInputException("not valid JSON", path, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "(json)");
        }
    }

    private static IReadOnlyList<string> HostList(JsonElement parent, string name, string file)
    {
        if (!parent.TryGetProperty(name, out var list)) return [];
        var field = "destinations." + name;
        if (list.ValueKind != JsonValueKind.Array) throw Bad(file, field, "expected a list of host names, e.g. [\"example.org\"]");
        var hosts = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim().TrimStart('.').ToLowerInvariant() : "";
            if (text.Length == 0 || text.Contains('/') || text.Contains(':') || text.Contains(' ') || !text.Contains('.'))
                throw Bad(file, $"{field}[{index}]", $"expected a host name such as \"example.org\", not {item.GetRawText()}");
            hosts.Add(text);
            index++;
        }
        return hosts;
    }

    /// <summary>A path named in the rack file, relative to the rack file's folder.</summary>
    private static string ResolvePath(string text, string file, string field)
    {
        try
        {
            return Path.GetFullPath(text, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Bad(file, field, $"not a usable path: {e.Message}");
        }
    }

    private static BadInputException Bad(string file, string field, string message) => new(message, file, null, null, field);
}
