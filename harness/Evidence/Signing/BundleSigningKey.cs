using System.Security.Cryptography;

namespace Harness.Evidence.Signing;

/// <summary>The per-installation ECDSA P-256 key that signs bundle manifests.</summary>
public sealed class BundleSigningKey : IDisposable
{
    private readonly ECDsa _key;

    internal BundleSigningKey(ECDsa key)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        Fingerprint = SignatureCheck.Fingerprint(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>SubjectPublicKeyInfo PEM, copied into every bundle.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Lower-case hex SHA-256 of the SPKI DER: what `harness verify --pin` compares.</summary>
    public string Fingerprint { get; }

    /// <summary>Signs the exact bytes; DER-encoded ECDSA signature (RFC 3279), verifiable with openssl.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => _key.Dispose();
}
