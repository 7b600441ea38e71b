using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Harness.Proxy;

/// <summary>
/// How forward mode verifies origins: the system trust store always, plus extra roots a lab names for its own origins
/// (split-DNS test servers, the virtual rack's local internet). The host name must match either way.
/// </summary>
public static class UpstreamTrust
{
    /// <summary>Reads every certificate of a PEM (or DER) file; throws <see cref="FileNotFoundException"/> or
    /// <see cref="System.Security.Cryptography.CryptographicException"/> for a missing or unreadable file.</summary>
    public static X509Certificate2Collection LoadRoots(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("file not found", path);
        var roots = new X509Certificate2Collection();
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) roots.ImportFromPem(text);
        else roots.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        if (roots.Count == 0) throw new System.Security.Cryptography.CryptographicException("no certificate in the file");
        return roots;
    }

    /// <summary>System store first; a chain the system does not know is accepted only when it ends at one of <paramref name="extraRoots"/>.</summary>
    public static RemoteCertificateValidationCallback SystemStorePlus(X509Certificate2Collection extraRoots) => (_, certificate, _, errors) =>
    {
        if (errors == SslPolicyErrors.None) return true;
        // A name mismatch or a missing certificate is never repaired by an extra root.
        if (certificate is null || extraRoots.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    };
}
