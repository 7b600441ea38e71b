using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Harness.Proxy.Certificates;

/// <summary>
/// Our interception CA. Created on first use in its directory (owner-only: dir 700, key 600) and loaded after that.
/// Its private key is only ever read from that folder and used to sign leaves; nothing exports it.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public const string CertificateFileName = "harness-ca-cert.pem";
    public const string KeyFileName = "harness-ca-key.pem";
    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    private CertificateAuthority(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        Directory = directory;
    }

    /// <summary>The CA certificate with its private key (in memory only).</summary>
    internal X509Certificate2 Certificate { get; }

    public string Directory { get; }

    /// <summary>The CA certificate without the key, safe to hand out.</summary>
    public X509Certificate2 PublicCertificate => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".harness", "ca");

    public static CertificateAuthority LoadOrCreate(string? directory = null, CaKeyAlgorithm algorithm = CaKeyAlgorithm.EcdsaP256)
    {
        directory ??= DefaultDirectory;
        var certPath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            Create(directory, certPath, keyPath, algorithm);
        }
        var loaded = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        return new CertificateAuthority(loaded, directory);
    }

    private static void Create(string directory, string certPath, string keyPath, CaKeyAlgorithm algorithm)
    {
        const UnixFileMode ownerOnlyDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(directory);
        else
        {
            System.IO.Directory.CreateDirectory(directory, ownerOnlyDir);
            File.SetUnixFileMode(directory, ownerOnlyDir);
        }

        var subject = new X500DistinguishedName("CN=Harness Interception CA, O=Harness");
        using AsymmetricAlgorithm key = algorithm == CaKeyAlgorithm.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-2), now.Add(Validity));

        var keyPem = key is RSA r ? r.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
        var keyTemp = keyPath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var keyFile = new FileStream(keyTemp, options))
        {
            keyFile.Write(Encoding.ASCII.GetBytes(keyPem));
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyTemp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(certPath + ".tmp", certificate.ExportCertificatePem() + "\n");
        File.Move(keyTemp, keyPath, overwrite: true);
        File.Move(certPath + ".tmp", certPath, overwrite: true);
    }

    public string ExportPem() => Certificate.ExportCertificatePem() + "\n";

    public byte[] ExportDer() => Certificate.RawData;

    public byte[] Export(CertificateExportFormat format) =>
        format == CertificateExportFormat.Der ? ExportDer() : Encoding.ASCII.GetBytes(ExportPem());

    /// <summary>OpenSSL's <c>subject_hash_old</c>: MD5 of the DER subject, first 4 bytes read little-endian.</summary>
    public string SubjectHashOld
    {
        get
        {
            var md5 = MD5.HashData(Certificate.SubjectName.RawData);
            var value = (uint)(md5[0] | md5[1] << 8 | md5[2] << 16 | md5[3] << 24);
            return value.ToString("x8");
        }
    }

    /// <summary>The file name Android's system store expects: <c>&lt;subject_hash_old&gt;.0</c>.</summary>
    public string AndroidSystemStoreFileName => SubjectHashOld + ".0";

    /// <summary>base64(SHA-256(SubjectPublicKeyInfo)), what Chromium's --ignore-certificate-errors-spki-list takes.</summary>
    public string SpkiSha256Base64 => Convert.ToBase64String(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public void Dispose() => Certificate.Dispose();
}
