using System.Text;

namespace Harness.Evidence.Bundles;

/// <summary>Where things live inside a bundle. Paths are relative, with forward slashes, identical in a folder and a zip.</summary>
public static class BundleLayout
{
    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.sig";
    public const string PublicKeyFile = "signing/public-key.pem";
    public const string RunFile = "run.json";
    public const string RedactionsFile = "redactions.json";
    public const string ProxyCaFile = "proxy/ca.pem";
    public const string CasesFolder = "cases";
    public const string CaseResultFile = "result.json";
    public const string CaseHarFile = "flows.har";
    public const string CaseCanariesFile = "canaries.json";
    public const string CaseExpectationsFile = "expectations.json";
    public const string CaseLogcatFile = "logcat.txt";

    /// <summary>Files that describe the manifest rather than being listed in it.</summary>
    public static bool IsOutsideManifest(string relativePath) =>
        relativePath is ManifestFile or SignatureFile;

    public static string CaseFolder(string caseId) => $"{CasesFolder}/{SafeSegment(caseId)}";
    public static string DeviceFolder(string serial) => $"devices/{SafeSegment(serial)}";

    /// <summary>
    /// A case id or device serial ("127.0.0.1:5555") becomes one path segment: anything outside [A-Za-z0-9._-] is replaced,
    /// so no id can escape the bundle folder.
    /// </summary>
    public static string SafeSegment(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        var segment = builder.ToString().Trim('.');
        return segment.Length == 0 ? "_" : segment;
    }

    public static string Normalize(string relativePath) => relativePath.Replace('\\', '/');
}
