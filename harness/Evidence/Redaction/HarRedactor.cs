using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;

namespace Harness.Evidence.Redaction;

/// <summary>
/// Masks secrets in one HAR 1.2 document, keeping its structure (same entries, same fields, values replaced).
/// Pure: bytes in, bytes and a list of what was done out. A value that carries evidence is never masked.
/// </summary>
public sealed class HarRedactor(RedactionPolicy policy)
{
    private static readonly string EncodedMask = Uri.EscapeDataString(RedactionPolicy.Mask);

    public HarRedactionResult Redact(byte[] har, string fileName, ProtectedValues protectedValues, IReadOnlyList<FindingRecord> findings)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(har); }
        catch (JsonException e) { throw new Harness.Core.BadInputException("HAR is not valid JSON: " + e.Message, fileName, inner: e); }
        if (root?["log"]?["entries"] is not JsonArray entries)
            throw new Harness.Core.BadInputException("not a HAR document (no log.entries)", fileName);

        var log = new List<RedactionEntry>();
        for (var index = 0; index < entries.Count; index++)
        {
            if (entries[index] is not JsonObject entry) continue;
            var flowId = (entry["_flowId"] ?? entry["_id"])?.GetValue<string>();
            var located = findings.Where(f => flowId is not null && f.FlowId == flowId).Select(f => f.Location).ToList();
            var context = new EntryContext(fileName, index, protectedValues, located, log);

            if (entry["request"] is JsonObject request)
            {
                RedactHeaders(request["headers"] as JsonArray, "request.headers", context);
                RedactCookies(request["cookies"] as JsonArray, "request.cookies", context);
                RedactNameValues(request["queryString"] as JsonArray, "request.queryString", context);
                if (request["url"] is JsonValue url && url.TryGetValue<string>(out var urlText))
                    request["url"] = RedactUrl(urlText, context);
                if (request["postData"] is JsonObject postData)
                {
                    RedactNameValues(postData["params"] as JsonArray, "request.postData.params", context);
                    RedactBodyText(postData, "text", postData["mimeType"]?.GetValue<string>(), "request.postData.text", context);
                }
            }
            if (entry["response"] is JsonObject response)
            {
                RedactHeaders(response["headers"] as JsonArray, "response.headers", context);
                RedactCookies(response["cookies"] as JsonArray, "response.cookies", context);
                if (response["content"] is JsonObject content && content["encoding"]?.GetValue<string>() != "base64")
                    RedactBodyText(content, "text", content["mimeType"]?.GetValue<string>(), "response.content.text", context);
            }
        }

        var changed = log.Any(e => e.Action == RedactionActions.Masked);
        var bytes = changed ? Encoding.UTF8.GetBytes(root.ToJsonString(BundleJson.Options)) : har;
        return new HarRedactionResult(bytes, log);
    }

    private sealed record EntryContext(string File, int Index, ProtectedValues Protected, IReadOnlyList<string> FindingLocations, List<RedactionEntry> Log)
    {
        /// <summary>Decides and logs; true when the value may be replaced.</summary>
        public bool MayMask(string field, string value)
        {
            var evidence = Protected.AnyIn(value)
                           || FindingLocations.Any(l => l.Contains(FieldName(field), StringComparison.OrdinalIgnoreCase));
            Log.Add(new RedactionEntry(File, Index, field, evidence ? RedactionActions.KeptEvidence : RedactionActions.Masked));
            return !evidence;
        }

        private static string FieldName(string field)
        {
            var open = field.LastIndexOf('[');
            if (open >= 0) return field[(open + 1)..].TrimEnd(']');
            var sep = field.LastIndexOfAny(['.', '?', '$']);
            return sep >= 0 ? field[(sep + 1)..] : field;
        }
    }

    private void RedactHeaders(JsonArray? headers, string where, EntryContext context)
    {
        if (headers is null) return;
        foreach (var header in headers.OfType<JsonObject>())
        {
            var name = header["name"]?.GetValue<string>() ?? "";
            var value = header["value"]?.GetValue<string>() ?? "";
            if (!policy.IsSecretHeader(name)) continue;
            if (!context.MayMask($"{where}[{name}]", value)) continue;
            header["value"] = name.ToLowerInvariant() switch
            {
                "cookie" => MaskCookieHeader(value),
                "set-cookie" => MaskSetCookie(value),
                _ => RedactionPolicy.Mask,
            };
        }
    }

    private static void RedactCookies(JsonArray? cookies, string where, EntryContext context)
    {
        if (cookies is null) return;
        foreach (var cookie in cookies.OfType<JsonObject>())
        {
            var name = cookie["name"]?.GetValue<string>() ?? "";
            if (context.MayMask($"{where}[{name}]", cookie["value"]?.GetValue<string>() ?? ""))
                cookie["value"] = RedactionPolicy.Mask;
        }
    }

    private void RedactNameValues(JsonArray? pairs, string where, EntryContext context)
    {
        if (pairs is null) return;
        foreach (var pair in pairs.OfType<JsonObject>())
        {
            var name = pair["name"]?.GetValue<string>() ?? "";
            if (!policy.IsTokenField(name)) continue;
            if (context.MayMask($"{where}[{name}]", pair["value"]?.GetValue<string>() ?? ""))
                pair["value"] = RedactionPolicy.Mask;
        }
    }

    private string RedactUrl(string url, EntryContext context)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0) return url;
        var fragmentStart = url.IndexOf('#', queryStart);
        var query = fragmentStart < 0 ? url[(queryStart + 1)..] : url[(queryStart + 1)..fragmentStart];
        var redacted = RedactForm(query, "request.url?", context);
        return url[..(queryStart + 1)] + redacted + (fragmentStart < 0 ? "" : url[fragmentStart..]);
    }

    private string RedactForm(string form, string where, EntryContext context)
    {
        var parts = form.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            if (eq < 0) continue;
            var name = SafeUnescape(parts[i][..eq]);
            if (!policy.IsTokenField(name)) continue;
            if (context.MayMask(where + name, SafeUnescape(parts[i][(eq + 1)..])))
                parts[i] = parts[i][..(eq + 1)] + EncodedMask;
        }
        return string.Join('&', parts);
    }

    private void RedactBodyText(JsonObject holder, string property, string? mimeType, string where, EntryContext context)
    {
        if (holder[property] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0) return;
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            JsonNode? body;
            try { body = JsonNode.Parse(text); }
            catch (JsonException) { return; }
            if (body is null || !RedactJson(body, where + "$", context)) return;
            holder[property] = body.ToJsonString(new JsonSerializerOptions { Encoder = BundleJson.Options.Encoder });
        }
        else if (mimeType?.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            holder[property] = RedactForm(text, where + "?", context);
        }
    }

    /// <summary>Masks scalar values of token-named properties anywhere in a JSON body; returns whether anything changed.</summary>
    private bool RedactJson(JsonNode node, string path, EntryContext context)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    if (child is JsonValue scalar && policy.IsTokenField(name))
                    {
                        if (context.MayMask($"{path}.{name}", scalar.ToString()))
                        {
                            obj[name] = RedactionPolicy.Mask;
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= RedactJson(child, $"{path}.{name}", context);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    if (array[i] is { } item) changed |= RedactJson(item, $"{path}[{i}]", context);
                break;
        }
        return changed;
    }

    private static string MaskCookieHeader(string value) =>
        string.Join("; ", value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.IndexOf('=') is var eq and >= 0 ? pair[..(eq + 1)] + RedactionPolicy.Mask : RedactionPolicy.Mask));

    private static string MaskSetCookie(string value)
    {
        // Only the first pair is the cookie; attributes (Path, Expires, HttpOnly) are not secret and help reading.
        var end = value.IndexOf(';');
        var first = end < 0 ? value : value[..end];
        var eq = first.IndexOf('=');
        var masked = eq < 0 ? RedactionPolicy.Mask : first[..(eq + 1)] + RedactionPolicy.Mask;
        return end < 0 ? masked : masked + value[end..];
    }

    private static string SafeUnescape(string text)
    {
        try { return Uri.UnescapeDataString(text.Replace('+', ' ')); }
        catch (UriFormatException) { return text; }
    }
}
