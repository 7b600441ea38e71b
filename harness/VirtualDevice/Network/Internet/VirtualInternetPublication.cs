using System.Globalization;
using System.Text.Json;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>
/// What a virtual rack tells the harness about its local internet, in the shape of a rack file's <c>"upstream"</c>
/// section: every host name lives at the one listener (<c>"connect-to": ["*=127.0.0.1:PORT"]</c>, split DNS)
/// and its certificates come from the rack's own root (<c>"ca"</c>, a PEM written beside). To the harness this is any
/// lab with split DNS and its own CA.
/// </summary>
public static class VirtualInternetPublication
{
    /// <summary>Writes <paramref name="upstreamJsonPath"/> and the root beside it (same name, <c>.ca.pem</c>); returns both paths.</summary>
    public static (string UpstreamFile, string CaFile) Write(VirtualInternet internet, string upstreamJsonPath)
    {
        ArgumentNullException.ThrowIfNull(internet);
        var full = Path.GetFullPath(upstreamJsonPath);
        var caPath = Path.ChangeExtension(full, null) + ".ca.pem";
        WriteAtomically(caPath, internet.Authority.RootCertificatePem + "\n");
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["connect-to"] = new[] { "*=" + internet.EndPoint.Address + ":" + internet.EndPoint.Port.ToString(CultureInfo.InvariantCulture) },
            ["ca"] = Path.GetFileName(caPath),
        }, new JsonSerializerOptions { WriteIndented = true });
        WriteAtomically(full, json + "\n");
        return (full, caPath);
    }

    /// <summary>Renamed into place: a reader never sees half a file.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var partial = path + ".partial";
        File.WriteAllText(partial, text);
        File.Move(partial, path, overwrite: true);
    }
}
