namespace Harness.Evidence.Bundles;

/// <summary>Read access to a bundle's files, whether it is a folder or a zip.</summary>
public interface IBundleSource : IDisposable
{
    /// <summary>Folder or zip path as given by the user, for messages.</summary>
    string Location { get; }

    /// <summary>Relative paths, forward slashes, ordinal order; temp files of interrupted writes are left out.</summary>
    IReadOnlyList<string> ListFiles();

    bool Exists(string relativePath);

    Task<byte[]> ReadAllBytesAsync(string relativePath, CancellationToken ct);
}
