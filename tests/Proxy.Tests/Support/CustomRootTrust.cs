using System.Security.Cryptography.X509Certificates;

namespace Harness.Proxy.Tests.Support;

/// <summary>Certificate validation for test clients that trust exactly one root (the proxy fixture's CA).</summary>
internal static class CustomRootTrust
{
    public static bool Validates(X509Certificate? certificate, X509Certificate2 root)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
