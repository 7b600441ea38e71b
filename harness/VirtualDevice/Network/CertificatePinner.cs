using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harness.VirtualDevice.Network;

/// <summary>
/// Host → pinned SPKI hashes ("sha256/BASE64", as OkHttp writes them). A pinned host's leaf certificate
/// must match one of its pins; other hosts are not checked. Patterns: exact host or "*.example.com".
/// </summary>
public sealed class CertificatePinner
{
    private readonly Dictionary<string, HashSet<string>> _pins = new(StringComparer.OrdinalIgnoreCase);

    public CertificatePinner Add(string hostPattern, params string[] pins)
    {
        if (!_pins.TryGetValue(hostPattern, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _pins[hostPattern] = set;
        }

        foreach (var pin in pins)
        {
            set.Add(pin.StartsWith("sha256/", StringComparison.Ordinal) ? pin : "sha256/" + pin);
        }

        return this;
    }

    /// <summary>The OkHttp-style pin of a certificate: "sha256/" + base64(SHA-256(SubjectPublicKeyInfo)).</summary>
    public static string PinOf(X509Certificate2 certificate) =>
        "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public bool IsPinned(string host) => PinsFor(host).Any();

    /// <summary>True when the host is not pinned or the leaf matches one of its pins.</summary>
    public bool Accepts(string host, X509Certificate2 leaf)
    {
        var pins = PinsFor(host).ToList();
        return pins.Count == 0 || pins.Contains(PinOf(leaf));
    }

    private IEnumerable<string> PinsFor(string host)
    {
        foreach (var (pattern, pins) in _pins)
        {
            var matches = pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
                    && host.Count(c => c == '.') == pattern.Count(c => c == '.')
                : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                foreach (var pin in pins)
                {
                    yield return pin;
                }
            }
        }
    }
}
