using System.IO.Compression;
using System.Text.Json;

namespace Harness.VirtualDevice.Apps;

/// <summary>A virtual APK: a ZIP (like a real APK) whose `virtual-app.json` entry says which app kind and version it installs.</summary>
public static class VirtualApk
{
    public const string ManifestEntry = "virtual-app.json";

    public static byte[] Build(VirtualApkManifest manifest)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var entry = zip.CreateEntry(ManifestEntry).Open())
            {
                JsonSerializer.Serialize(entry, manifest, new JsonSerializerOptions { WriteIndented = true });
            }
            // A real APK carries a manifest; this one is only there so tools that list entries see something familiar.
            using var placeholder = new StreamWriter(zip.CreateEntry("AndroidManifest.xml").Open());
            placeholder.Write($"<manifest package=\"{manifest.Package}\" android:versionCode=\"{manifest.VersionCode}\" android:versionName=\"{manifest.VersionName}\"/>");
        }
        return buffer.ToArray();
    }

    public static string Write(string path, VirtualApkManifest manifest)
    {
        File.WriteAllBytes(path, Build(manifest));
        return path;
    }

    public static VirtualApkManifest Parse(byte[] apk)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(apk), ZipArchiveMode.Read);
            var entry = zip.GetEntry(ManifestEntry) ?? throw new VirtualApkException($"no {ManifestEntry} in the archive");
            using var stream = entry.Open();
            var manifest = JsonSerializer.Deserialize<VirtualApkManifest>(stream) ?? throw new VirtualApkException($"empty {ManifestEntry}");
            if (string.IsNullOrWhiteSpace(manifest.Package) || string.IsNullOrWhiteSpace(manifest.Kind) || string.IsNullOrWhiteSpace(manifest.VersionName))
                throw new VirtualApkException($"{ManifestEntry} lacks package, kind or versionName");
            return manifest;
        }
        catch (InvalidDataException e) { throw new VirtualApkException($"not a zip archive ({e.Message})"); }
        catch (JsonException e) { throw new VirtualApkException($"bad {ManifestEntry}: {e.Message}"); }
    }
}
