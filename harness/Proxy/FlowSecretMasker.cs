using System.Security.Cryptography;
using System.Text;
using Harness.Flows;

namespace Harness.Proxy;

/// <summary>
/// Masks secrets in a flow before it is stored, so a password never reaches flows.jsonl, a HAR or a bundle: in the
/// URL, request headers and bodies (raw and decoded), in the forms an app sends them (clear, URL-encoded, base64, and
/// the MD5 hex digest Mi Account sign-in posts instead of the password). Each mask reads <c>[masked:NAME]</c> and the
/// flow's tag <c>masked</c> lists NAME@where. Only the exact secret values are touched, so a canary is never masked.
/// A mask changes a body's length: <see cref="FlowBody.Size"/> keeps the length that crossed the wire.
/// </summary>
public static class FlowSecretMasker
{
    public const string TagName = "masked";

    public static void Mask(Flow flow, IReadOnlyList<MaskedSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (secrets.Count == 0) return;
        var where = new List<string>();
        foreach (var secret in secrets)
        {
            if (secret.Value.Length == 0) continue;
            var forms = FormsOf(secret.Value);
            var mask = $"[masked:{secret.Name}]";
            if (flow.Url is { } url && ReplaceText(url, forms, mask) is { } maskedUrl)
            {
                flow.Url = maskedUrl;
                where.Add(secret.Name + "@request.url");
            }
            for (var i = 0; i < flow.RequestHeaders.Count; i++)
            {
                if (ReplaceText(flow.RequestHeaders[i].Value, forms, mask) is not { } value) continue;
                flow.RequestHeaders[i] = flow.RequestHeaders[i] with { Value = value };
                where.Add($"{secret.Name}@request.headers.{flow.RequestHeaders[i].Name}");
            }
            if (MaskBody(flow.RequestBody, forms, mask)) where.Add(secret.Name + "@request.body");
            if (MaskBody(flow.ResponseBody, forms, mask)) where.Add(secret.Name + "@response.body");
            for (var i = 0; i < flow.WebSocketMessages.Count; i++)
            {
                if (ReplaceBytes(flow.WebSocketMessages[i].Data, forms, mask) is not { } data) continue;
                flow.WebSocketMessages[i] = flow.WebSocketMessages[i] with { Data = data };
                where.Add(secret.Name + "@websocket");
            }
        }
        if (where.Count > 0) flow.Tags[TagName] = string.Join(",", where.Distinct());
    }

    private static List<string> FormsOf(string value)
    {
        var md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(value)));
        return new[] { value, Uri.EscapeDataString(value), System.Net.WebUtility.UrlEncode(value), Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), md5, md5.ToLowerInvariant() }
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToList();
    }

    private static string? ReplaceText(string text, List<string> forms, string mask)
    {
        var result = text;
        foreach (var form in forms) result = result.Replace(form, mask, StringComparison.Ordinal);
        return ReferenceEquals(result, text) || result == text ? null : result;
    }

    private static bool MaskBody(FlowBody? body, List<string> forms, string mask)
    {
        if (body is null) return false;
        var changed = false;
        if (ReplaceBytes(body.Raw, forms, mask) is { } raw)
        {
            body.Raw = raw;
            changed = true;
        }
        if (body.Decoded is { } decoded && ReplaceBytes(decoded, forms, mask) is { } clear)
        {
            body.Decoded = clear;
            changed = true;
        }
        return changed;
    }

    private static byte[]? ReplaceBytes(byte[] data, List<string> forms, string mask)
    {
        var maskBytes = Encoding.UTF8.GetBytes(mask);
        byte[]? result = null;
        foreach (var form in forms)
        {
            var needle = Encoding.UTF8.GetBytes(form);
            var current = result ?? data;
            var at = current.AsSpan().IndexOf(needle);
            if (at < 0) continue;
            var output = new List<byte>(current.Length);
            var rest = current.AsSpan();
            while ((at = rest.IndexOf(needle)) >= 0)
            {
                output.AddRange(rest[..at]);
                output.AddRange(maskBytes);
                rest = rest[(at + needle.Length)..];
            }
            output.AddRange(rest);
            result = [.. output];
        }
        return result;
    }
}
