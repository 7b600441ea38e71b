using System.Text.Json;
using Harness.Core;
using Harness.Flows;

namespace Harness.Leaks;

/// <summary>
/// Classifies a flow's destination by host suffix: intended (canary host, search engine), vendor (editable suffix list,
/// plus anything Sensors-shaped: path <c>/sa</c> with a <c>project=</c> query), third party (the rest).
/// </summary>
public sealed class DestinationClassifier
{
    /// <summary>Vendor domains of the 2020 record (docs/architecture.md, "What is known about the browsers"); callers add to it, never need to edit code.</summary>
    public static readonly IReadOnlyList<string> DefaultVendorSuffixes =
        ["xiaomi.com", "xiaomi.net", "miui.com", "mi.com", "mistat.xiaomi.com", "mistat.intl.xiaomi.com", "sensorsdata.cn", "xiaomi.cn", "mi-img.com", "mipay.com"];

    private readonly string[] _intended;
    private readonly string[] _vendor;

    public DestinationClassifier(IEnumerable<string> intendedHosts, IEnumerable<string>? vendorSuffixes = null)
    {
        _intended = Normalize(intendedHosts);
        _vendor = Normalize(vendorSuffixes ?? DefaultVendorSuffixes);
    }

    public IReadOnlyList<string> IntendedHosts => _intended;
    public IReadOnlyList<string> VendorSuffixes => _vendor;

    public DestinationClassifier WithIntended(IEnumerable<string> moreIntendedHosts) => new([.. _intended, .. moreIntendedHosts], _vendor);

    public DestinationClass Classify(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var host = flow.Host;
        if (string.IsNullOrEmpty(host) && flow.Tls?.Sni is { } sni) host = sni;
        return Classify(host, flow.Url);
    }

    public DestinationClass Classify(string host, string? url = null)
    {
        host = (host ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        if (MatchesSuffix(host, _intended)) return DestinationClass.Intended;
        if (MatchesSuffix(host, _vendor)) return DestinationClass.Vendor;
        if (url is not null && IsSensorsShaped(url)) return DestinationClass.Vendor;
        return DestinationClass.ThirdParty;
    }

    public bool IsVendor(string host) => MatchesSuffix((host ?? "").Trim().TrimEnd('.').ToLowerInvariant(), _vendor);

    /// <summary>Sensors Analytics endpoints are self-hosted under any name; their shape gives them away.</summary>
    public static bool IsSensorsShaped(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.Equals("/sa", StringComparison.OrdinalIgnoreCase) && !path.EndsWith("/sa", StringComparison.OrdinalIgnoreCase)) return false;
        return uri.Query.TrimStart('?').Split('&').Any(p => p.StartsWith("project=", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Parses <c>{"vendor":["suffix",…],"intended":["host",…]}</c>; a given vendor list replaces the default.</summary>
    public static DestinationClassifier Parse(byte[] json, string fileName, IEnumerable<string> extraIntended)
    {
        List<string>? vendor = null;
        var intended = new List<string>(extraIntended);
        json = Utf8Bom.Skip(json.AsSpan()).ToArray();
        TextPosition.RequireUtf8(json, fileName, "a destinations file");
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new BadInputException("expected a JSON object {\"vendor\":[…],\"intended\":[…]}", fileName, 1, 1, "(root)");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name is not ("vendor" or "intended")) continue;
                if (prop.Value.ValueKind != JsonValueKind.Array)
                    throw new BadInputException("expected an array of host suffixes", fileName, null, null, prop.Name);
                var list = new List<string>();
                var i = 0;
                foreach (var item in prop.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                        throw new BadInputException("expected a non-empty host suffix string", fileName, null, null, $"{prop.Name}[{i}]");
                    list.Add(item.GetString()!);
                    i++;
                }
                if (prop.Name == "vendor") vendor = list; else intended.AddRange(list);
            }
        }
        catch (JsonException e)
        {
            throw new BadInputException($"malformed JSON: {e.Message}", fileName, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "(json)", e);
        }
        catch (InvalidOperationException e)
        {
            // A string escape that is not valid UTF-16 (a lone surrogate such as "\ud800").
            throw new BadInputException($"a string is not valid text: {e.Message}", fileName, 1, 1, "(json)", e);
        }
        catch (BadInputException e) when (e.Line is null && e.Field is not null && JsonValueLocator.Find(json, e.Field) is { } at)
        {
            // Shape errors are found on the parsed document; the user still needs the line to fix.
            throw new BadInputException(e.Message, e.File, at.Line, at.Column, e.Field, e.InnerException);
        }
        return new DestinationClassifier(intended, vendor);
    }

    private static bool MatchesSuffix(string host, string[] suffixes)
    {
        foreach (var s in suffixes)
        {
            if (host.Length == s.Length ? host == s : host.Length > s.Length && host.EndsWith(s, StringComparison.Ordinal) && host[host.Length - s.Length - 1] == '.')
                return true;
        }
        return false;
    }

    private static string[] Normalize(IEnumerable<string> hosts) =>
        hosts.Select(h => h.Trim().Trim('.').ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToArray();
}
