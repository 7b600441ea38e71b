using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>
/// The "Virtual Internet Root CA" of a rack and the origin certificates it issues, one per host name.
/// Create one per process or rack and share it: the phone profiles ship <see cref="RootCertificate"/> in their
/// SYSTEM CA store, like the public roots a real phone ships.
/// </summary>
public sealed class VirtualInternetAuthority : IDisposable
{
    private readonly X509Certificate2 _rootWithKey;
    private readonly ConcurrentDictionary<string, Lazy<SslStreamCertificateContext>> _contexts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<X509Certificate2> _issued = [];

    private VirtualInternetAuthority(X509Certificate2 rootWithKey)
    {
        _rootWithKey = rootWithKey;
        RootCertificate = X509CertificateLoader.LoadCertificate(rootWithKey.RawData);
    }

    /// <summary>The root certificate without its private key.</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>The root in PEM, as Android keeps it in /system/etc/security/cacerts.</summary>
    public string RootCertificatePem => RootCertificate.ExportCertificatePem();

    /// <summary>The file name of the root in /system/etc/security/cacerts ("&lt;subject_hash_old&gt;.0").</summary>
    public string RootAndroidCaFileName => AndroidCaFileName.Of(RootCertificate);

    public static VirtualInternetAuthority Create(string commonName = "Virtual Internet Root CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN={commonName}, O=Harness Virtual Rack, C=US");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var root = request.CreateSelfSigned(now.AddDays(-2), now.AddYears(10));
        return new VirtualInternetAuthority(root);
    }

    /// <summary>The TLS server identity for <paramref name="host"/> (leaf issued by the root, root sent along).</summary>
    public SslStreamCertificateContext ServerContextFor(string host) =>
        _contexts.GetOrAdd(host.TrimEnd('.'), h => new Lazy<SslStreamCertificateContext>(() => CreateContext(h))).Value;

    /// <summary>The leaf certificate the origin for <paramref name="host"/> presents (public part).</summary>
    public X509Certificate2 LeafCertificateFor(string host) =>
        X509CertificateLoader.LoadCertificate(ServerContextFor(host).TargetCertificate.RawData);

    public void Dispose()
    {
        lock (_issued)
        {
            foreach (var certificate in _issued)
            {
                certificate.Dispose();
            }
        }

        _rootWithKey.Dispose();
        RootCertificate.Dispose();
    }

    private SslStreamCertificateContext CreateContext(string host)
    {
        var leaf = Issue(host);
        lock (_issued)
        {
            _issued.Add(leaf);
        }

        return SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(RootCertificate), offline: true);
    }

    private X509Certificate2 Issue(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={host}"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_rootWithKey, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var publicOnly = request.Create(_rootWithKey, now.AddDays(-1), now.AddDays(390), serial);
        return publicOnly.CopyWithPrivateKey(key);
    }
}
