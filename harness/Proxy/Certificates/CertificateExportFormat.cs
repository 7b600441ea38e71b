namespace Harness.Proxy.Certificates;

public enum CertificateExportFormat
{
    Pem,
    Der,
    /// <summary>PEM content, meant to be saved as <c>&lt;subject_hash_old&gt;.0</c> in Android's system store.</summary>
    Android,
}
