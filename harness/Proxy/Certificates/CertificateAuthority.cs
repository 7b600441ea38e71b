using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Polly;
using Polly.Retry;

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
    private const string CreationLockFileName = ".create.lock";

    /// <summary>Waits out another process creating the CA (a key and a certificate: well under a second), for 30 s at most.</summary>
    private static readonly ResiliencePipeline LockRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>(),
            Delay = TimeSpan.FromMilliseconds(20),
            BackoffType = DelayBackoffType.Constant,
            MaxRetryAttempts = 1500,
        })
        .Build();

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
        if (!File.Exists(keyPath) || !File.Exists(certPath))
        {
            CreateOwnerOnlyDirectory(directory);
            // Several processes may start on a fresh machine at once (a rack run and its tests, parallel test
            // assemblies): creation is serialised by an exclusive lock on a file beside the pair, and whoever gets it
            // second finds the pair made. The certificate is always made from the key on disk, so they always match.
            using var creation = AcquireCreationLock(Path.Combine(directory, CreationLockFileName));
            if (!File.Exists(keyPath))
            {
                using AsymmetricAlgorithm fresh = algorithm == CaKeyAlgorithm.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var keyPem = fresh is RSA r ? r.ExportPkcs8PrivateKeyPem() : ((ECDsa)fresh).ExportPkcs8PrivateKeyPem();
                WriteAtomically(keyPath, Encoding.ASCII.GetBytes(keyPem), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            if (!File.Exists(certPath))
            {
                var certificatePem = SelfSignedPem(File.ReadAllText(keyPath), keyPath);
                WriteAtomically(certPath, Encoding.ASCII.GetBytes(certificatePem), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }
        try
        {
            return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certPath, keyPath), directory);
        }
        catch (CryptographicException e)
        {
            throw new Harness.Core.BadInputException(
                $"the CA certificate and key in {directory} do not load as a matching pair ({e.Message}); move the folder away to create a new CA",
                certPath, inner: e);
        }
    }

    private static string SelfSignedPem(string keyPem, string keyPath)
    {
        var subject = new X500DistinguishedName("CN=Harness Interception CA, O=Harness");
        using var key = ImportPrivateKey(keyPem, keyPath);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-2), now.Add(Validity));
        return certificate.ExportCertificatePem() + "\n";
    }

    private static AsymmetricAlgorithm ImportPrivateKey(string pem, string keyPath)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { () => ECDsa.Create(), () => RSA.Create() })
        {
            var key = create();
            try
            {
                key.ImportFromPem(pem);
                return key;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                key.Dispose();
            }
        }
        throw new Harness.Core.BadInputException("the CA key is neither an EC nor an RSA private key; move the folder away to create a new CA", keyPath);
    }

    /// <summary>An exclusive lock (flock on Unix) held while the pair is created; a holder in another process makes us wait.</summary>
    private static FileStream AcquireCreationLock(string path) =>
        LockRetry.Execute(() => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));

    /// <summary>A temporary file with its final mode, renamed over the target: a reader sees the old file or the whole new one.</summary>
    private static void WriteAtomically(string path, byte[] content, UnixFileMode mode)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.partial";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using (var file = new FileStream(temp, options))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void CreateOwnerOnlyDirectory(string directory)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }
        System.IO.Directory.CreateDirectory(directory, ownerOnly);
        File.SetUnixFileMode(directory, ownerOnly);
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
