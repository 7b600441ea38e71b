using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Harness.VirtualDevice.Android;

/// <summary>A file of one of the phone's CA stores, PEM or DER as Android accepts both.</summary>
internal static class CaCertificateFile
{
    /// <summary>The certificate, or null for a file Android would skip (not a certificate).</summary>
    public static X509Certificate2? TryParse(byte[] content)
    {
        try
        {
            var text = Encoding.ASCII.GetString(content);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(content);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
