using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harness.Proxy.Certificates;

/// <summary>
/// Forges per-host leaf certificates signed by the CA, as mitmproxy does: one key pair for every leaf (only the
/// signature is per host), backdated 2 days for phones with skewed clocks, ~199 days valid (under Apple's and
/// Chrome's limits), SAN for the host, serverAuth, no SKI (a leaf sharing an SKI broke SChannel: mitmproxy#6494),
/// AKI from the CA. Results are cached per host with a bounded FIFO.
/// </summary>
public sealed class LeafCertificateIssuer : IDisposable
{
    private readonly CertificateAuthority _ca;
    private readonly AsymmetricAlgorithm _leafKey;
    private readonly int _capacity;
    private readonly Dictionary<string, SslStreamCertificateContext> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();
    private readonly X509Certificate2Collection _chain;

    public LeafCertificateIssuer(CertificateAuthority ca, int capacity = 1000)
    {
        _ca = ca;
        _capacity = capacity;
        _leafKey = ca.Certificate.GetRSAPublicKey() is not null ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _chain = [ca.PublicCertificate];
    }

    /// <summary>
    /// base64(SHA-256(SPKI)) of the shared leaf key. Chromium's --ignore-certificate-errors-spki-list matches certificates
    /// the server sent, and SslStream does not send the self-signed root, so the leaf's SPKI is what Chromium sees.
    /// </summary>
    public string LeafSpkiSha256Base64 => Convert.ToBase64String(SHA256.HashData(
        _leafKey is RSA rsa ? rsa.ExportSubjectPublicKeyInfo() : ((ECDsa)_leafKey).ExportSubjectPublicKeyInfo()));

    public int CachedCount { get { lock (_lock) return _cache.Count; } }

    /// <summary>The context SslStream serves for this host, issued on first use.</summary>
    public SslStreamCertificateContext GetContext(string host)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue(host, out var cached)) return cached;
        }
        var leaf = Issue(host);
        var context = SslStreamCertificateContext.Create(leaf, _chain, offline: true);
        lock (_lock)
        {
            if (_cache.TryGetValue(host, out var raced)) return raced;
            _cache[host] = context;
            _order.Enqueue(host);
            while (_order.Count > _capacity) _cache.Remove(_order.Dequeue());
        }
        return context;
    }

    /// <summary>A leaf for the host (DNS name or IP literal), with the shared leaf private key attached.</summary>
    public X509Certificate2 Issue(string host)
    {
        var isIp = IPAddress.TryParse(host.Trim('[', ']'), out var ip);
        var subject = new X500DistinguishedName(host.Length < 64 ? "CN=" + EscapeCn(host) : "O=Harness");
        var request = _leafKey is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)_leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (isIp) san.AddIpAddress(ip!); else san.AddDnsName(host);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = X509KeyUsageFlags.DigitalSignature | (_leafKey is RSA ? X509KeyUsageFlags.KeyEncipherment : 0);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca.Certificate, true, false));

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(_ca.Certificate, now.AddDays(-2), now.AddDays(197), serial);
        return _leafKey is RSA r ? issued.CopyWithPrivateKey(r) : issued.CopyWithPrivateKey((ECDsa)_leafKey);
    }

    private static string EscapeCn(string host) => host.Replace("\\", "\\\\").Replace(",", "\\,").Replace("+", "\\+").Replace("\"", "\\\"");

    public void Dispose() => _leafKey.Dispose();
}
