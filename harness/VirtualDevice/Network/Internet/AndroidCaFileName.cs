using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>
/// Android names CA files by OpenSSL's subject_hash_old: the first four bytes of MD5 over the DER
/// subject, read little-endian, in lowercase hex, plus ".0" (`openssl x509 -subject_hash_old`).
/// </summary>
public static class AndroidCaFileName
{
    public static string Of(X509Certificate2 certificate)
    {
        var digest = MD5.HashData(certificate.SubjectName.RawData);
        var hash = digest[0] | (uint)digest[1] << 8 | (uint)digest[2] << 16 | (uint)digest[3] << 24;
        return hash.ToString("x8", CultureInfo.InvariantCulture) + ".0";
    }
}
