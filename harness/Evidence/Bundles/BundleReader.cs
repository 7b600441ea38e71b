using Harness.Core;
using Harness.Evidence.Records;

namespace Harness.Evidence.Bundles;

/// <summary>Opens a bundle folder or .zip; throws <see cref="BadInputException"/> when it is not a bundle at all.</summary>
public static class BundleReader
{
    public static async Task<BundleContents> OpenAsync(string path, CancellationToken ct)
    {
        IBundleSource source;
        if (Directory.Exists(path)) source = new FolderBundleSource(path);
        else if (File.Exists(path)) source = new ZipBundleSource(path);
        else throw new BadInputException("no such bundle folder or zip", path);

        try
        {
            var files = source.ListFiles();
            RunInfo? run = source.Exists(BundleLayout.RunFile)
                ? BundleJson.Deserialize<RunInfo>(await source.ReadAllBytesAsync(BundleLayout.RunFile, ct), Where(source, BundleLayout.RunFile))
                : null;
            byte[]? manifestBytes = null;
            BundleManifest? manifest = null;
            if (source.Exists(BundleLayout.ManifestFile))
            {
                manifestBytes = await source.ReadAllBytesAsync(BundleLayout.ManifestFile, ct);
                manifest = BundleJson.Deserialize<BundleManifest>(manifestBytes, Where(source, BundleLayout.ManifestFile));
            }
            if (run is null && manifest is null)
                throw new BadInputException($"not an evidence bundle: neither {BundleLayout.RunFile} nor {BundleLayout.ManifestFile} found", source.Location);

            var cases = new List<BundleCase>();
            var prefix = BundleLayout.CasesFolder + "/";
            foreach (var resultPath in files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)
                                                        && f.EndsWith("/" + BundleLayout.CaseResultFile, StringComparison.Ordinal)
                                                        && f.Count(c => c == '/') == 2))
            {
                var folder = resultPath[..^(BundleLayout.CaseResultFile.Length + 1)];
                var record = BundleJson.Deserialize<CaseRecord>(await source.ReadAllBytesAsync(resultPath, ct), Where(source, resultPath));
                string? Optional(string name) => source.Exists(folder + "/" + name) ? folder + "/" + name : null;
                cases.Add(new BundleCase(folder, resultPath, record,
                    Optional(BundleLayout.CaseHarFile), Optional(BundleLayout.CaseCanariesFile), Optional(BundleLayout.CaseExpectationsFile)));
            }
            return new BundleContents(source, run, manifest, manifestBytes, cases);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static string Where(IBundleSource source, string relative) => source.Location + "!" + relative;
}
