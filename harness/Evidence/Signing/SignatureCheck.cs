using System.Security.Cryptography;

namespace Harness.Evidence.Signing;

/// <summary>Verifying a manifest signature and computing key fingerprints; needs only the public key.</summary>
public static class SignatureCheck
{
    public static string Fingerprint(ReadOnlySpan<byte> subjectPublicKeyInfoDer) =>
        Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfoDer));

    /// <summary>Fingerprint of a SPKI PEM; throws <see cref="CryptographicException"/> if it is not an EC public key.</summary>
    public static string FingerprintOfPem(string publicKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return Fingerprint(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>True when <paramref name="signature"/> (DER) was made over <paramref name="data"/> by the key in the PEM.</summary>
    public static bool Verify(string publicKeyPem, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Accepts a pin as typed by a human: any case, with or without ':' separators or a "sha256:" prefix.</summary>
    public static string NormalizeFingerprint(string pin)
    {
        var text = pin.Trim();
        if (text.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) text = text[7..];
        return text.Replace(":", "").Replace(" ", "").ToLowerInvariant();
    }
}
