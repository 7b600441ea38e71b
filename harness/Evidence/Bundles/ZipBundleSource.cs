using System.IO.Compression;

namespace Harness.Evidence.Bundles;

public sealed class ZipBundleSource : IBundleSource
{
    private readonly ZipArchive _archive;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ZipBundleSource(string zipPath)
    {
        Location = zipPath;
        try
        {
            _archive = ZipFile.OpenRead(zipPath);
            _entries = _archive.Entries
                .Where(e => !e.FullName.EndsWith('/') && !e.FullName.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal))
                .ToDictionary(e => BundleLayout.Normalize(e.FullName), StringComparer.Ordinal);
        }
        catch (InvalidDataException e)
        {
            throw new Harness.Core.BadInputException("not a readable zip archive: " + e.Message, zipPath, inner: e);
        }
    }

    public string Location { get; }

    public IReadOnlyList<string> ListFiles() => _entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    public bool Exists(string relativePath) => _entries.ContainsKey(relativePath);

    public async Task<byte[]> ReadAllBytesAsync(string relativePath, CancellationToken ct)
    {
        if (!_entries.TryGetValue(relativePath, out var entry)) throw new FileNotFoundException("not in the zip: " + relativePath, relativePath);
        // ZipArchive is not safe for concurrent reads.
        await _gate.WaitAsync(ct);
        try
        {
            await using var stream = entry.Open();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _archive.Dispose();
        _gate.Dispose();
    }
}
