using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.SystemApps;

/// <summary>
/// The phone's user CA store as the system (Settings, certinstaller) handles it: /data/misc/user/0/cacerts-added,
/// one <c>&lt;subject_hash_old&gt;.0</c> file per CA, writable only by the system, never by the adb shell.
/// </summary>
public static class UserCaStore
{
    /// <summary>Parses a picked file (PEM or DER) and stores it; returns the store file name, or null when it is not a certificate.</summary>
    public static string? Install(VirtualAndroid android, byte[] content)
    {
        using var certificate = CaCertificateFile.TryParse(content);
        if (certificate is null) return null;
        var name = AndroidCaFileName.Of(certificate);
        android.FileSystem.CreateDirectory(VirtualAndroid.UserCaDirectory, parents: true, asRoot: true);
        android.FileSystem.WriteFile($"{VirtualAndroid.UserCaDirectory}/{name}", Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"), asRoot: true, permissions: 0x1A4);
        android.Log.Write(1000, 'I', "TrustedCertificateStore", $"installed user CA {name}");
        return name;
    }

    public static IReadOnlyList<UserCaEntry> List(VirtualAndroid android) =>
        android.UserCaCertificates()
            .Select(file => (file.Key, Certificate: CaCertificateFile.TryParse(file.Value)))
            .Where(f => f.Certificate is not null)
            .Select(f =>
            {
                using var certificate = f.Certificate!;
                var (organisation, commonName) = SubjectNames(certificate);
                return new UserCaEntry(f.Key, organisation ?? commonName ?? certificate.Subject, organisation is null ? "" : commonName ?? "");
            })
            .OrderBy(e => e.Primary, StringComparer.OrdinalIgnoreCase)
            .ToList();

    public static bool Remove(VirtualAndroid android, string fileName)
    {
        var path = $"{VirtualAndroid.UserCaDirectory}/{fileName}";
        if (!android.FileSystem.IsFile(path)) return false;
        android.FileSystem.Delete(path, recursive: false, asRoot: true);
        android.Log.Write(1000, 'I', "TrustedCertificateStore", $"removed user CA {fileName}");
        return true;
    }

    /// <summary>The system store's CAs for the System tab; the stand-in certificates name their subject in a "# subject:" line.</summary>
    public static IReadOnlyList<UserCaEntry> ListSystem(VirtualAndroid android) =>
        android.SystemCaCertificates()
            .Select(file =>
            {
                var text = Encoding.ASCII.GetString(file.Value);
                var subject = text.Split('\n').FirstOrDefault(l => l.StartsWith("# subject: CN=", StringComparison.Ordinal))?["# subject: CN=".Length..];
                if (subject is null && CaCertificateFile.TryParse(file.Value) is { } certificate)
                    using (certificate) subject = SubjectNames(certificate).CommonName;
                return new UserCaEntry(file.Key, subject ?? file.Key, "");
            })
            .OrderBy(e => e.Primary, StringComparer.OrdinalIgnoreCase)
            .ToList();

    private static (string? Organisation, string? CommonName) SubjectNames(X509Certificate2 certificate)
    {
        string? organisation = null, commonName = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var oid = rdn.GetSingleElementType().Value;
            if (oid == "2.5.4.10") organisation ??= rdn.GetSingleElementValue();
            else if (oid == "2.5.4.3") commonName ??= rdn.GetSingleElementValue();
        }
        return (organisation, commonName);
    }
}
