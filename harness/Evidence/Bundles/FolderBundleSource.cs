namespace Harness.Evidence.Bundles;

public sealed class FolderBundleSource(string directory) : IBundleSource
{
    public string Location { get; } = directory;

    public IReadOnlyList<string> ListFiles() => ListFiles(Location);

    public static IReadOnlyList<string> ListFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal))
            .Select(f => BundleLayout.Normalize(Path.GetRelativePath(directory, f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    public bool Exists(string relativePath) => File.Exists(Resolve(relativePath));

    public Task<byte[]> ReadAllBytesAsync(string relativePath, CancellationToken ct) => File.ReadAllBytesAsync(Resolve(relativePath), ct);

    private string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Location, relativePath));
        var root = Path.GetFullPath(Location).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        // A manifest naming "../x" must not make us read outside the bundle.
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new Harness.Core.BadInputException("path escapes the bundle: " + relativePath, Location);
        return full;
    }

    public void Dispose() { }
}
