using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Core;

namespace Harness.Flows;

/// <summary>
/// Reads a HAR 1.2 log back into flows: ours (with the <c>_</c> fields, which round-trip every Flow field)
/// or any browser's export (standard fields only). Malformed input throws <see cref="BadInputException"/>
/// naming the file, the line for JSON syntax errors, and the JSON path of a missing or mistyped field.
/// </summary>
public static class HarReader
{
    public static List<Flow> ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static List<Flow> Read(Stream stream, string? fileName = null)
    {
        // The bytes are kept (JsonDocument parses them in place) so a shape error can be traced back to its line.
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        // Tools on Windows (PowerShell 5.1, Notepad, some HAR exporters) start the file with a byte order mark.
        if (bytes.AsSpan().StartsWith(Utf8Bom.Bytes)) bytes = bytes[Utf8Bom.Bytes.Length..];
        // JsonDocument accepts bytes that are not UTF-8 and throws InvalidOperationException later, when a string is read.
        TextPosition.RequireUtf8(bytes, fileName, "a HAR file");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new BadInputException("not valid JSON: " + e.Message, fileName, (int?)(e.LineNumber + 1), (int?)(e.BytePositionInLine + 1), "(json)", e);
        }
        using (document)
        {
            try
            {
                var cursor = new Cursor(fileName);
                var log = cursor.Object(document.RootElement, "$", "log");
                var entries = cursor.Array(log, "log", "entries");
                var flows = new List<Flow>();
                var index = 0;
                foreach (var entry in entries.EnumerateArray())
                {
                    try
                    {
                        flows.Add(ReadEntry(cursor, entry, $"log.entries[{index}]", index));
                    }
                    catch (InvalidOperationException e)
                    {
                        // A string escape that is not valid UTF-16 (a lone surrogate such as "\ud800").
                        throw new BadInputException("a string in this entry is not valid text: " + e.Message, fileName, null, null, $"log.entries[{index}]", e);
                    }
                    index++;
                }
                return flows;
            }
            catch (BadInputException e) when (e.Line is null && e.Field is not null && JsonValueLocator.Find(bytes, e.Field) is { } at)
            {
                throw new BadInputException(e.Message, e.File, at.Line, at.Column, e.Field, e.InnerException);
            }
        }
    }

    private static Flow ReadEntry(Cursor c, JsonElement entry, string at, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw c.Bad(at, "an entry must be an object");
        var startText = c.String(entry, at, "startedDateTime");
        if (!DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started))
            throw c.Bad(at + ".startedDateTime", $"'{startText}' is not an ISO 8601 date");
        var request = c.Object(entry, at, "request");
        var response = c.Object(entry, at, "response");
        var rat = at + ".request";
        var sat = at + ".response";
        var url = c.String(request, rat, "url");
        Uri.TryCreate(url, UriKind.Absolute, out var uri);

        var flow = new Flow
        {
            Id = c.OptionalString(entry, "_flowId") ?? $"har-{index}",
            Host = c.OptionalString(entry, "_host") ?? uri?.IdnHost ?? "",
            Port = entry.TryGetProperty("_port", out var port) && port.ValueKind == JsonValueKind.Number ? port.GetInt32() : uri?.Port ?? 0,
            Scheme = c.OptionalString(entry, "_scheme") ?? uri?.Scheme ?? "http",
            ClientAddress = c.OptionalString(entry, "_clientAddress"),
            Method = c.String(request, rat, "method"),
            Url = request.TryGetProperty("_synthesizedUrl", out var synthesized) && synthesized.ValueKind == JsonValueKind.True ? null : url,
            HttpVersion = c.String(request, rat, "httpVersion") is { Length: > 0 } version ? version : null,
            RequestHeaders = ReadHeaders(c, request, rat),
            ResponseHeaders = ReadHeaders(c, response, sat),
        };
        if (c.OptionalString(entry, "_kind") is { } kind)
        {
            flow.Kind = Enum.TryParse<FlowKind>(kind, out var k) ? k : throw c.Bad(at + "._kind", $"unknown flow kind '{kind}'");
        }
        flow.Timings = ReadTimings(c, entry, at, started);

        var status = c.Number(response, sat, "status");
        if (status != 0)
        {
            flow.StatusCode = (int)status;
            flow.Reason = c.String(response, sat, "statusText");
        }
        var responseVersion = c.String(response, sat, "httpVersion");
        if (flow.HttpVersion is null && responseVersion.Length > 0) flow.HttpVersion = responseVersion;

        if (request.TryGetProperty("postData", out var postData))
        {
            var pat = rat + ".postData";
            if (postData.ValueKind != JsonValueKind.Object) throw c.Bad(pat, "must be an object");
            // HAR 1.2 names no encoding for postData; ours writes "_encoding", other tools "encoding", both base64.
            var encodingField = postData.TryGetProperty("_encoding", out _) ? "_encoding" : "encoding";
            var raw = ReadText(c, postData, pat, "text", encodingField);
            var mimeType = c.OptionalString(postData, "mimeType");
            if (raw.Length == 0 && ReadParams(c, postData, pat) is { Length: > 0 } rebuilt)
            {
                // BrowserMob Proxy, HTTP Toolkit and others export a form as params only; a multipart body cannot be
                // rebuilt byte for byte (its boundary is gone), so every form becomes the urlencoded equivalent.
                raw = rebuilt;
                if (mimeType is null || !mimeType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)) mimeType = "application/x-www-form-urlencoded";
            }
            flow.RequestBody = ReadBody(c, postData, pat, raw, mimeType);
        }
        var content = c.Object(response, sat, "content");
        var cat = sat + ".content";
        if (content.TryGetProperty("text", out _))
        {
            var text = ReadText(c, content, cat, "text", "encoding");
            flow.ResponseBody = ReadBody(c, content, cat, text, c.OptionalString(content, "mimeType"));
        }

        if (entry.TryGetProperty("_tls", out var tls) && tls.ValueKind == JsonValueKind.Object)
        {
            var outcome = c.String(tls, at + "._tls", "outcome");
            flow.Tls = new TlsInfo
            {
                Sni = c.OptionalString(tls, "sni"),
                Outcome = Enum.TryParse<TlsOutcome>(outcome, out var o) ? o : throw c.Bad(at + "._tls.outcome", $"unknown TLS outcome '{outcome}'"),
                Protocol = c.OptionalString(tls, "protocol"),
                Alpn = c.OptionalString(tls, "alpn"),
                Detail = c.OptionalString(tls, "detail"),
            };
        }
        if (entry.TryGetProperty("_error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var errorKind = c.String(error, at + "._error", "kind");
            flow.Error = new FlowError(
                Enum.TryParse<FlowErrorKind>(errorKind, out var ek) ? ek : throw c.Bad(at + "._error.kind", $"unknown error kind '{errorKind}'"),
                c.String(error, at + "._error", "message"));
        }
        if (entry.TryGetProperty("_webSocketMessages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var m in messages.EnumerateArray())
            {
                var mat = $"{at}._webSocketMessages[{i++}]";
                var type = c.String(m, mat, "type");
                var opcode = (int)c.Number(m, mat, "opcode");
                var data = c.String(m, mat, "data");
                var seconds = c.Number(m, mat, "time");
                var isText = opcode == 1;
                byte[] bytes;
                try { bytes = isText ? Encoding.UTF8.GetBytes(data) : Convert.FromBase64String(data); }
                catch (FormatException) { throw c.Bad(mat + ".data", "binary message data is not base64"); }
                flow.WebSocketMessages.Add(new WebSocketMessage(
                    DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), type == "send", isText, bytes));
            }
        }
        if (entry.TryGetProperty("_tags", out var tags) && tags.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in tags.EnumerateObject()) flow.Tags[p.Name] = p.Value.GetString() ?? "";
        }
        return flow;
    }

    private static FlowTimings ReadTimings(Cursor c, JsonElement entry, string at, DateTimeOffset started)
    {
        if (entry.TryGetProperty("_flowTimings", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            DateTimeOffset? Get(string name) => t.TryGetProperty(name, out var v) && v.TryGetDateTimeOffset(out var d) ? d : null;
            return new FlowTimings { Start = Get("start") ?? started, TlsDone = Get("tlsDone"), RequestDone = Get("requestDone"), ResponseDone = Get("responseDone") };
        }
        var total = entry.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.Number ? time.GetDouble() : 0;
        return new FlowTimings { Start = started, ResponseDone = started.AddMilliseconds(Math.Max(0, total)) };
    }

    private static FlowBody ReadBody(Cursor c, JsonElement holder, string at, byte[] text, string? mimeType)
    {
        // Our own HAR says exactly what the flow had (_contentType); other HARs only have mimeType.
        var ours = holder.TryGetProperty("_size", out _);
        var contentType = ours ? c.OptionalString(holder, "_contentType") : string.IsNullOrEmpty(mimeType) ? null : mimeType;
        var body = new FlowBody { ContentType = contentType, ContentEncoding = c.OptionalString(holder, "_contentEncoding") };
        if (holder.TryGetProperty("_raw", out var raw) && raw.ValueKind == JsonValueKind.String)
        {
            if (!raw.TryGetBytesFromBase64(out var rawBytes)) throw c.Bad(at + "._raw", "is not base64");
            body.Raw = rawBytes;
            body.Decoded = text;
        }
        else
        {
            body.Raw = text;
        }
        body.Size = holder.TryGetProperty("_size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : body.Raw.LongLength;
        return body;
    }

    /// <summary>The form body <c>name=value&amp;…</c> rebuilt from <c>postData.params</c>, or empty when there are none.</summary>
    private static byte[] ReadParams(Cursor c, JsonElement postData, string at)
    {
        if (!postData.TryGetProperty("params", out var parameters)) return [];
        if (parameters.ValueKind != JsonValueKind.Array) throw c.Bad(at + ".params", $"must be an array, not {parameters.ValueKind}");
        var form = new StringBuilder();
        var i = 0;
        foreach (var p in parameters.EnumerateArray())
        {
            var pat = $"{at}.params[{i++}]";
            var name = c.String(p, pat, "name");
            // An uploaded file's params entry has a fileName and often no value: its name still travelled.
            var value = c.OptionalString(p, "value") ?? c.OptionalString(p, "fileName") ?? "";
            if (form.Length > 0) form.Append('&');
            form.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return Encoding.UTF8.GetBytes(form.ToString());
    }

    private static byte[] ReadText(Cursor c, JsonElement holder, string at, string textField, string encodingField)
    {
        var text = c.OptionalString(holder, textField) ?? "";
        if (c.OptionalString(holder, encodingField) is { } encoding)
        {
            if (encoding != "base64") throw c.Bad($"{at}.{encodingField}", $"unsupported encoding '{encoding}' (only base64)");
            try { return Convert.FromBase64String(text); }
            catch (FormatException) { throw c.Bad($"{at}.{textField}", "is marked base64 but is not"); }
        }
        return Encoding.UTF8.GetBytes(text);
    }

    private static List<HeaderField> ReadHeaders(Cursor c, JsonElement holder, string at)
    {
        var headers = c.Array(holder, at, "headers");
        var list = new List<HeaderField>();
        var i = 0;
        foreach (var h in headers.EnumerateArray())
        {
            var hat = $"{at}.headers[{i++}]";
            list.Add(new HeaderField(c.String(h, hat, "name"), c.String(h, hat, "value")));
        }
        return list;
    }

    /// <summary>Typed access to JSON fields that turns every shape error into a BadInputException naming the field.</summary>
    private sealed class Cursor(string? fileName)
    {
        public BadInputException Bad(string field, string message) => new(message, fileName, null, null, field);

        private JsonElement Get(JsonElement holder, string at, string name)
        {
            if (holder.ValueKind != JsonValueKind.Object) throw Bad(at, "must be an object");
            if (!holder.TryGetProperty(name, out var value)) throw Bad($"{at}.{name}", "required field is missing");
            return value;
        }

        public JsonElement Object(JsonElement holder, string at, string name)
        {
            var v = Get(holder, at, name);
            return v.ValueKind == JsonValueKind.Object ? v : throw Bad($"{at}.{name}", $"must be an object, not {v.ValueKind}");
        }

        public JsonElement Array(JsonElement holder, string at, string name)
        {
            var v = Get(holder, at, name);
            return v.ValueKind == JsonValueKind.Array ? v : throw Bad($"{at}.{name}", $"must be an array, not {v.ValueKind}");
        }

        public string String(JsonElement holder, string at, string name)
        {
            var v = Get(holder, at, name);
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad($"{at}.{name}", $"must be a string, not {v.ValueKind}");
        }

        public double Number(JsonElement holder, string at, string name)
        {
            var v = Get(holder, at, name);
            return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Bad($"{at}.{name}", $"must be a number, not {v.ValueKind}");
        }

        public string? OptionalString(JsonElement holder, string name) =>
            holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
