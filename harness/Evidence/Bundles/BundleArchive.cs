using System.IO.Compression;

namespace Harness.Evidence.Bundles;

/// <summary>Zips a sealed bundle folder; the zip verifies exactly like the folder (same relative paths).</summary>
public static class BundleArchive
{
    public static void Zip(string bundleDirectory, string zipPath)
    {
        var temp = zipPath + AtomicFile.TempSuffix;
        File.Delete(temp);
        using (var archive = ZipFile.Open(temp, ZipArchiveMode.Create))
        {
            foreach (var relative in FolderBundleSource.ListFiles(bundleDirectory))
                archive.CreateEntryFromFile(Path.Combine(bundleDirectory, relative), relative, CompressionLevel.Optimal);
        }
        File.Move(temp, zipPath, overwrite: true);
    }
}
