using System.Text;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>One request a local origin of the virtual internet received.</summary>
/// <param name="Host">The Host header without port (falls back to SNI).</param>
/// <param name="ServerName">The TLS SNI, or null for plain HTTP.</param>
/// <param name="Target">The request target as sent (origin-form or absolute-form).</param>
public sealed record VirtualInternetRequest(
    long Sequence,
    DateTimeOffset ReceivedAt,
    bool Tls,
    string? ServerName,
    string Host,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    /// <summary>The path of the target, without query.</summary>
    public string Path
    {
        get
        {
            var target = Target;
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
            {
                target = absolute.PathAndQuery;
            }

            var question = target.IndexOf('?');
            return question < 0 ? target : target[..question];
        }
    }

    /// <summary>The raw query string without '?', or empty.</summary>
    public string Query
    {
        get
        {
            var question = Target.IndexOf('?');
            return question < 0 ? string.Empty : Target[(question + 1)..];
        }
    }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The first value of a query parameter, form-decoded, or null.</summary>
    public string? QueryValue(string name) => FormField(Query, name);

    /// <summary>The first value of a field in an application/x-www-form-urlencoded string, or null.</summary>
    public static string? FormField(string form, string name)
    {
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            if (key == name)
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }
}
